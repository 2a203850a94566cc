import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_checks_the_database_and_answers_200(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("lookup:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_ping_renders_a_fixed_page_with_at_most_the_catalogue_query(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("lookup:ping"))
    assert response.status_code == 200
    assert b"pong" in response.content
    with django_assert_max_num_queries(0):  # the catalogue is cached now
        client.get(reverse("lookup:ping"))
