"""Count failed log-ins per username and per client address, in the cache."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """Return the client's address; behind our own proxy, the hop that proxy added last."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _keys(request, username: str) -> list[str]:
    address = client_address(request)
    name = hashlib.sha256(username.casefold().encode()).hexdigest()[:32]
    return [f"login-failures:user:{name}", f"login-failures:addr:{address}"]


# An address may be shared (a classroom behind one router), so it gets more tries than a name.
ADDRESS_ALLOWANCE = 4


def is_blocked(request, username: str) -> bool:
    """Return whether this username or address has failed too often lately."""
    user_key, address_key = _keys(request, username)
    counts = cache.get_many([user_key, address_key])
    limit = settings.LOGIN_FAILURE_LIMIT
    return counts.get(user_key, 0) >= limit or counts.get(address_key, 0) >= limit * ADDRESS_ALLOWANCE


def record_failure(request, username: str) -> None:
    """Count one failed log-in for this username and address."""
    for key in _keys(request, username):
        if cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW)


def forget_failures(request, username: str) -> None:
    """Clear the username's count after a successful log-in."""
    cache.delete(_keys(request, username)[0])
