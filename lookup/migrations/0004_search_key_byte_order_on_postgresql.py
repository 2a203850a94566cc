"""Give entry search keys byte-order ("C") collation on PostgreSQL.

Prefix search is an index range scan (key >= q AND key < q + U+10FFFF). That range is only
right when keys compare code point by code point, which SQLite always does and PostgreSQL does
under the "C" collation, whatever the database's locale.
"""

from django.db import migrations

FORWARD = 'ALTER TABLE lookup_entry ALTER COLUMN search_key TYPE varchar(255) COLLATE "C"'
BACKWARD = 'ALTER TABLE lookup_entry ALTER COLUMN search_key TYPE varchar(255) COLLATE "default"'


def run_on_postgresql(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("lookup", "0003_curators_group")]

    operations = [migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD))]
