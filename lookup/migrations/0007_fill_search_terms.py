"""Fill the search terms of entries imported before they existed."""

from django.db import migrations

from lookup.terms import entry_terms


def fill_terms(apps, schema_editor):
    Entry = apps.get_model("lookup", "Entry")
    SearchTerm = apps.get_model("lookup", "SearchTerm")
    batch = []
    entries = Entry.objects.using(schema_editor.connection.alias).select_related("language")
    for entry in entries.prefetch_related("senses").iterator(chunk_size=2000):
        glosses = [sense.gloss for sense in sorted(entry.senses.all(), key=lambda sense: sense.position)]
        for kind, key, rank in entry_terms(
            search_key=entry.search_key, language_code=entry.language.code, glosses=glosses
        ):
            batch.append(SearchTerm(entry_id=entry.pk, language_id=entry.language_id, kind=kind, key=key, rank=rank))
        if len(batch) >= 5000:
            SearchTerm.objects.using(schema_editor.connection.alias).bulk_create(batch)
            batch = []
    SearchTerm.objects.using(schema_editor.connection.alias).bulk_create(batch)


def empty_terms(apps, schema_editor):
    apps.get_model("lookup", "SearchTerm").objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [("lookup", "0006_search_terms")]

    operations = [migrations.RunPython(fill_terms, empty_terms)]
