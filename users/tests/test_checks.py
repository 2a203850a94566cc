from django.core.checks import run_checks


def test_deploy_check_refuses_a_missing_secret_key(settings):
    settings.DEBUG = False
    settings.SECRET_KEY_FROM_ENVIRONMENT = False
    assert "langtool.E001" in [message.id for message in run_checks(include_deployment_checks=True)]


def test_deploy_check_accepts_a_key_from_the_environment(settings):
    settings.SECRET_KEY_FROM_ENVIRONMENT = True
    assert "langtool.E001" not in [message.id for message in run_checks(include_deployment_checks=True)]
