import pytest

from lookup.queries import forget_languages
from users.tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _fresh_language_cache():
    """Keep the cached language list from leaking between tests' databases."""
    forget_languages()
    yield
    forget_languages()


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
