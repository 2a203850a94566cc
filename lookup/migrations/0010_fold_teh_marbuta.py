"""Recompute the search keys that the teh marbuta fold (ة -> ه) changes."""

from django.db import migrations

from lookup.normalization import initial_of, normalize_key


def refold(apps, schema_editor):
    Entry = apps.get_model("lookup", "Entry")
    SearchTerm = apps.get_model("lookup", "SearchTerm")
    alias = schema_editor.connection.alias
    changed = []
    for entry in Entry.objects.using(alias).filter(headword__contains="\u0629").only("pk", "headword").iterator():
        entry.search_key = normalize_key(entry.headword)[:255]
        entry.initial = initial_of(entry.search_key)
        changed.append(entry)
    Entry.objects.using(alias).bulk_update(changed, ["search_key", "initial"], batch_size=2000)
    for term in SearchTerm.objects.using(alias).filter(key__contains="\u0629").iterator():
        SearchTerm.objects.using(alias).filter(pk=term.pk).update(key=term.key.replace("\u0629", "\u0647"))


class Migration(migrations.Migration):
    dependencies = [("lookup", "0009_entry_dictionary_headword_index")]

    # Going back leaves the folded keys: they still find every entry they found before.
    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
