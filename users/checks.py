from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_from_environment(app_configs, **kwargs):
    """Refuse a deployment whose signing key is not set in the environment."""
    if settings.DEBUG or settings.SECRET_KEY_FROM_ENVIRONMENT:
        return []
    return [
        Error(
            "DJANGO_SECRET_KEY is not set: sessions and password-reset links would not survive a restart.",
            hint="Set DJANGO_SECRET_KEY to a long random value in the environment.",
            id="langtool.E001",
        )
    ]
