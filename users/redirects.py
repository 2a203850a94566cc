from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, fallback: str = "") -> str:
    """Return the ?next= (or POSTed next) target if it stays on this site, else fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback
