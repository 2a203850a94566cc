import html
import re

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects, assertTemplateUsed

from users.models import User
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("users:signup")
GOOD = {
    "username": "amira",
    "email": "amira@example.com",
    "password1": "a-long-secret-99",
    "password2": "a-long-secret-99",
}


def test_signup_page_renders_the_form(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    assertTemplateUsed(response, "registration/signup.html")
    assertContains(response, 'name="password2"')
    assertContains(response, "csrfmiddlewaretoken")


def test_signup_signs_in_and_returns_where_you_were_going(client):
    response = client.post(f"{SIGNUP}?next=/search/%3Fq%3Dchat", GOOD)
    assertRedirects(response, "/search/?q=chat", fetch_redirect_response=False)
    user = User.objects.get(username="amira")
    assert user.email == "amira@example.com"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("lookup:list-index")).status_code == 200  # and stays signed in


def test_signup_without_next_goes_home_and_ignores_offsite_next(client):
    response = client.post(SIGNUP, {**GOOD, "next": "https://evil.example/"})
    assertRedirects(response, reverse("lookup:home"), fetch_redirect_response=False)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password2": "something-else-1"}, "password2", "The two password fields didn’t match."),
        ({"password1": "123", "password2": "123"}, "password2", "too short"),
        ({"password1": "password", "password2": "password"}, "password2", "too common"),
        ({"password1": "amira123", "password2": "amira123"}, "password2", "too similar"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"username": ""}, "username", "This field is required."),
        ({"username": "bad name!"}, "username", "Enter a valid username."),
    ],
)
def test_signup_errors_show_next_to_the_field_and_keep_input(client, changes, field, message):
    response = client.post(SIGNUP, {**GOOD, **changes})
    assert response.status_code == 400
    assertContains(response, message, status_code=400)
    assertContains(response, f'id="error_1_id_{field}"', status_code=400)
    if field != "email":
        assertContains(response, 'value="amira@example.com"', status_code=400)
    assert not User.objects.exists()


def test_signup_refuses_a_taken_username_or_email(client):
    UserFactory(username="amira", email="other@example.com")
    assertContains(client.post(SIGNUP, GOOD), "already exists", status_code=400)
    UserFactory(username="someone", email="AMIRA@example.com")
    response = client.post(SIGNUP, {**GOOD, "username": "amira2"})
    assertContains(response, "An account with this e-mail address exists", status_code=400)
    assert User.objects.count() == 2


def test_signed_in_user_visiting_signup_is_sent_on(user_client):
    assertRedirects(user_client.get(SIGNUP), reverse("lookup:home"), fetch_redirect_response=False)


def _navbar_link(response, label: str) -> str:
    """Return the href of the navbar's link whose text is label."""
    navbar = response.content.decode().split('<nav class="navbar', 1)[1].split("</nav>", 1)[0]
    match = re.search(rf'href="([^"]*)"[^>]*>{label}</a>', navbar)
    assert match, f"no {label} link in the navbar"
    return html.unescape(match.group(1))


def test_signing_up_from_the_log_in_pages_navbar_goes_where_the_visitor_was_going(client):
    login_page = client.get(reverse("login"), {"next": "/search/?q=chat"})
    signup_url = _navbar_link(login_page, "Sign up")
    assert signup_url == f"{SIGNUP}?next=/search/%3Fq%3Dchat"  # not back to the log-in page
    response = client.post(signup_url, GOOD)
    assertRedirects(response, "/search/?q=chat", fetch_redirect_response=False)


def test_the_sign_up_pages_navbar_log_in_link_keeps_its_next(client):
    signup_page = client.get(SIGNUP, {"next": "/search/?q=chat"})
    assert _navbar_link(signup_page, "Log in") == f"{reverse('login')}?next=/search/%3Fq%3Dchat"
    assert _navbar_link(signup_page, "Sign up") == f"{SIGNUP}?next=/search/%3Fq%3Dchat"


def test_the_log_in_pages_navbar_drops_an_offsite_or_missing_next(client):
    offsite = client.get(reverse("login"), {"next": "https://evil.example/"})
    assert _navbar_link(offsite, "Sign up") == SIGNUP
    assert _navbar_link(client.get(reverse("login")), "Sign up") == SIGNUP


def test_other_pages_navbar_links_come_back_to_the_page(client):
    page = client.get(reverse("lookup:search"), {"q": "chat"})
    assert _navbar_link(page, "Log in") == f"{reverse('login')}?next=/search/%3Fq%3Dchat"
    assert _navbar_link(page, "Sign up") == f"{SIGNUP}?next=/search/%3Fq%3Dchat"


def test_the_forgotten_password_pages_navbar_links_do_not_come_back_to_them(client, user):
    pages = [reverse("password_reset"), reverse("password_reset_done"), reverse("password_reset_complete")]
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    pages.append(client.get(link).url)  # the form the mailed link leads to
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert _navbar_link(response, "Log in") == reverse("login"), page
        assert _navbar_link(response, "Sign up") == SIGNUP, page
