"""Load the role catalogue of the seed (roles, responsibilities, permissions, who assigns whom)."""

from django.db import migrations


def load(apps, schema_editor):
    from roles.catalogue import apply_catalogue

    apply_catalogue(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0001_initial"),
        ("agencies", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
