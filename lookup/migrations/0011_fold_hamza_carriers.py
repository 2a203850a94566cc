"""Recompute the search keys and terms that folding hamza carriers (ؤ ئ -> ء) changes."""

from django.db import migrations
from django.db.models import Q

from lookup.normalization import initial_of, normalize_key
from lookup.terms import entry_terms


def refold(apps, schema_editor):
    Entry = apps.get_model("lookup", "Entry")
    SearchTerm = apps.get_model("lookup", "SearchTerm")
    alias = schema_editor.connection.alias
    carriers = Q(headword__contains="\u0624") | Q(headword__contains="\u0626")
    entries = Entry.objects.using(alias).filter(carriers).select_related("language").prefetch_related("senses")
    changed, terms = [], []
    for entry in entries.iterator(chunk_size=2000):
        entry.search_key = normalize_key(entry.headword)[:255]
        entry.initial = initial_of(entry.search_key)
        changed.append(entry)
        glosses = [sense.gloss for sense in sorted(entry.senses.all(), key=lambda sense: sense.position)]
        for kind, key, rank in entry_terms(
            search_key=entry.search_key,
            language_code=entry.language.code,
            glosses=glosses,
            pronunciation=entry.pronunciation,
        ):
            terms.append(SearchTerm(entry_id=entry.pk, language_id=entry.language_id, kind=kind, key=key, rank=rank))
    Entry.objects.using(alias).bulk_update(changed, ["search_key", "initial"], batch_size=2000)
    SearchTerm.objects.using(alias).filter(entry__in=[entry.pk for entry in changed]).delete()
    SearchTerm.objects.using(alias).bulk_create(terms, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("lookup", "0010_fold_teh_marbuta")]

    # Going back leaves the folded keys: they still find every entry they found before.
    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
