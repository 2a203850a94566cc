"""WSGI entry point (gunicorn langtool.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "langtool.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (settings are loaded by now)
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

if not settings.DEBUG and not settings.SECRET_KEY_FROM_ENVIRONMENT:
    raise ImproperlyConfigured("Set the DJANGO_SECRET_KEY environment variable before serving Langtool.")
