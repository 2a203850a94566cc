import re
from datetime import datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from lookup.models import Dictionary, Entry, SavedWord, WordList
from lookup.tests.factories import LanguageFactory, SavedWordFactory
from users.backends import UserBackend
from users.models import User

pytestmark = pytest.mark.django_db


def test_every_page_says_who_is_signed_in(user_client, user):
    response = user_client.get(reverse("lookup:home"))
    assertContains(response, f"Signed in as </span><strong>{user.username}</strong>")
    assertContains(response, "Log out")


def test_visitors_see_log_in_and_sign_up(client):
    response = client.get(reverse("lookup:search"))
    assertContains(response, "Log in")
    assertContains(response, "Sign up")


def test_log_in_returns_to_next(client, user, password):
    response = client.post(
        reverse("login") + "?next=/lists/", {"username": user.username, "password": password, "next": "/lists/"}
    )
    assertRedirects(response, "/lists/", fetch_redirect_response=False)


def test_wrong_password_keeps_username_and_says_so(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})
    assertContains(response, "Please enter a correct username and password", status_code=400)
    assertContains(response, f'value="{user.username}"', status_code=400)


def test_log_in_is_throttled_after_repeated_failures(client, user, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    # Even the right password is refused while throttled.
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assertContains(response, "Too many failed log-ins", status_code=429)
    assert "_auth_user_id" not in client.session


def test_successful_log_in_clears_the_failures(client, user, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(2):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    client.post(reverse("login"), {"username": user.username, "password": password})
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302


def test_log_out_needs_post(user_client):
    assert user_client.get(reverse("logout")).status_code == 405
    response = user_client.post(reverse("logout"))
    assertRedirects(response, reverse("lookup:home"), fetch_redirect_response=False)
    assert "_auth_user_id" not in user_client.session


# The site's two session engines: its own database store without Redis, cached_db with it.
SESSION_STORES = ["users.sessions", "django.contrib.sessions.backends.cached_db"]


@pytest.mark.parametrize("store", SESSION_STORES)
@pytest.mark.parametrize("ending", ["log out", "password change"])
def test_a_session_cookie_copied_before_it_ended_signs_nobody_in(client, user, password, settings, store, ending):
    # Sessions live in the database, or with REDIS_URL in the cache in front of it (cached_db).
    # Either way a copy of the cookie is worthless once the learner has logged out or changed
    # their password.
    settings.SESSION_ENGINE = store
    client.post(reverse("login"), {"username": user.username, "password": password})
    copied = client.cookies["sessionid"].value
    assert client.get(reverse("lookup:list-index")).status_code == 200
    if ending == "log out":
        client.post(reverse("logout"))
    else:
        new = "a-new-Passw0rd-2026"
        changed = {"old_password": password, "new_password1": new, "new_password2": new}
        assert client.post(reverse("password_change"), changed).status_code == 302
    client.cookies["sessionid"] = copied
    response = client.get(reverse("lookup:list-index"))
    assertRedirects(response, f"{reverse('login')}?next={reverse('lookup:list-index')}", fetch_redirect_response=False)


@pytest.mark.parametrize("store", SESSION_STORES)
def test_an_expired_session_signs_nobody_in(client, user, password, settings, store):
    settings.SESSION_ENGINE = store
    client.post(reverse("login"), {"username": user.username, "password": password})
    assert client.get(reverse("lookup:list-index")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    cache.clear()  # cached_db would otherwise answer from the cache until the cache entry expired
    response = client.get(reverse("lookup:list-index"))
    assertRedirects(response, f"{reverse('login')}?next={reverse('lookup:list-index')}", fetch_redirect_response=False)


def test_the_signed_in_user_is_read_whole_and_typed_as_the_orm_reads_it(user):
    user.last_login = timezone.now()
    user.save()
    read = UserBackend().get_user(user.pk)
    expected = User.objects.get(pk=user.pk)
    fields = [field.attname for field in User._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert isinstance(read.last_login, datetime) and read.last_login.tzinfo is not None
    assert read.is_active is True and read.get_session_auth_hash() == expected.get_session_auth_hash()


def test_an_inactive_or_deleted_user_is_signed_out(user_client, user):
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert UserBackend().get_user(user.pk) is None
    assert user_client.get(reverse("lookup:list-index")).status_code == 302
    assert UserBackend().get_user(user.pk + 1000) is None


def test_password_change(user_client, user, password):
    url = reverse("password_change")
    assert user_client.get(url).status_code == 200
    response = user_client.post(
        url, {"old_password": password, "new_password1": "brand-new-secret-7", "new_password2": "brand-new-secret-7"}
    )
    assertRedirects(response, reverse("password_change_done"))
    user.refresh_from_db()
    assert user.check_password("brand-new-secret-7")


def test_password_change_with_wrong_old_password_changes_nothing(user_client, user, password):
    response = user_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "brand-new-secret-7", "new_password2": "brand-new-secret-7"},
    )
    assertContains(response, "Your old password was entered incorrectly")
    user.refresh_from_db()
    assert user.check_password(password)


def test_password_reset_by_email_end_to_end(client, user):
    response = client.post(reverse("password_reset"), {"email": user.email})
    assertRedirects(response, reverse("password_reset_done"))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your Langtool password"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": "reset-secret-42", "new_password2": "reset-secret-42"})
    assertRedirects(response, reverse("password_reset_complete"))
    user.refresh_from_db()
    assert user.check_password("reset-secret-42")


def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assertRedirects(response, reverse("password_reset_done"))
    assert mail.outbox == []


def test_bad_reset_link_says_it_expired(client, user):
    assertContains(client.get("/accounts/reset/MQ/not-a-token/"), "This link has expired")


def test_profile_shows_and_saves_display_name_and_languages(user_client, user):
    arabic = LanguageFactory(code="ar")
    english = LanguageFactory(code="en")
    url = reverse("users:profile")
    assertContains(user_client.get(url), "Your profile")
    response = user_client.post(
        url,
        {
            "display_name": "Sam",
            "email": "sam@example.com",
            "native_language": english.pk,
            "learning_languages": [arabic.pk],
        },
    )
    assertRedirects(response, url)
    user.refresh_from_db()
    assert (user.display_name, user.email, user.native_language) == ("Sam", "sam@example.com", english)
    assert list(user.learning_languages.all()) == [arabic]


def test_profile_error_keeps_input(user_client, user):
    response = user_client.post(reverse("users:profile"), {"display_name": "Sam", "email": "broken"})
    assertContains(response, "Enter a valid email address.", status_code=400)
    assertContains(response, 'value="Sam"', status_code=400)
    user.refresh_from_db()
    assert user.display_name == ""


def test_profile_needs_login(client):
    assert client.get(reverse("users:profile")).status_code == 302


def test_delete_account_needs_the_password(user_client, user):
    response = user_client.post(reverse("users:account-delete"), {"password": "wrong"})
    assertContains(response, "That is not your password.", status_code=400)
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_account_removes_user_and_lists_and_nothing_else(user_client, user, password, other_user):
    mine = SavedWordFactory(word_list__owner=user)
    theirs = SavedWordFactory(word_list__owner=other_user, entry=mine.entry)
    response = user_client.post(reverse("users:account-delete"), {"password": password}, follow=True)
    assertContains(response, "Your account and your lists are deleted.")
    assertNotContains(response, "Signed in as")
    assert not User.objects.filter(pk=user.pk).exists()
    assert not WordList.objects.filter(owner_id=user.pk).exists()
    assert SavedWord.objects.get() == theirs
    assert Entry.objects.filter(pk=mine.entry_id).exists()
    assert Dictionary.objects.exists()


def test_log_in_is_throttled_per_address_across_usernames(client, user, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for number in range(8):  # four times the per-name limit, spread over many names
        client.post(reverse("login"), {"username": f"guess{number}", "password": "wrong"})
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assertContains(response, "Too many failed log-ins", status_code=429)


def test_behind_a_proxy_the_throttle_counts_the_forwarded_client(client, user, password, settings):
    settings.BEHIND_PROXY = True
    settings.LOGIN_FAILURE_LIMIT = 1
    for number in range(4):  # one client spraying names through the proxy
        client.post(
            reverse("login"), {"username": f"guess{number}", "password": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.9"
        )
    # Another client behind the same proxy still logs in.
    response = client.post(
        reverse("login"), {"username": user.username, "password": password}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 302
