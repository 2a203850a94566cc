from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR_MODELS = ["language", "dictionary", "entry", "sense", "example"]
ACTIONS = ["add", "change", "delete", "view"]


def create_curators(apps, schema_editor):
    # Permissions are normally made after all migrations; make lookup's now so the group gets them.
    lookup_config = apps.get_app_config("lookup")
    lookup_config.models_module = True
    create_permissions(lookup_config, verbosity=0, apps=apps)
    lookup_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Curators")
    codenames = [f"{action}_{model}" for model in CURATOR_MODELS for action in ACTIONS]
    group.permissions.set(Permission.objects.filter(content_type__app_label="lookup", codename__in=codenames))


def remove_curators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Curators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lookup", "0002_list_owner_and_constraints"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_curators, remove_curators)]
