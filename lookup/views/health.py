"""Views that check the site is up: a health check and the bare page benchmarks compare with."""

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def ping(request):
    """Render a fixed page through the whole stack: the bare view benchmarks compare pages with."""
    return render(request, "lookup/ping.html")
