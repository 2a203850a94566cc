import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_checks_the_database_and_answers_200(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("lookup:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"].startswith("max-age=0")
