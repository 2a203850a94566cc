import pytest
from django.core.cache import cache

from lookup.queries import forget_languages
from users.tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Keep cached languages and log-in failure counts from leaking between tests."""
    cache.clear()
    forget_languages()  # and this process's copy of the catalogue
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def session_queries(settings):
    """Return the queries a signed-in request spends reading its session: none from Redis (cached_db)."""
    return 0 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db" else 1
