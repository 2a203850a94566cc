from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from lookup.models import Entry

pytestmark = pytest.mark.django_db


def test_load_starter_set_reports_and_can_run_twice():
    out = StringIO()
    call_command("load_starter_set", stdout=out)
    assert "entries added" in out.getvalue()
    count = Entry.objects.count()
    out = StringIO()
    call_command("load_starter_set", stdout=out)
    assert "0 entries added" in out.getvalue()
    assert Entry.objects.count() == count


def test_evaluate_lookup_reports_found_and_missed(tmp_path):
    call_command("load_starter_set", stdout=StringIO())
    queries = tmp_path / "queries.tsv"
    queries.write_text("# comment\ntete\tfr\ttête\thead\taccents\nzzzz\tfr\tchat\tcat\tnothing\n", encoding="utf-8")
    out = StringIO()
    call_command("evaluate_lookup", "--file", str(queries), stdout=out)
    assert "found" in out.getvalue() and "MISSED" in out.getvalue()
    assert "1/2 found in the first five" in out.getvalue()


def test_explain_lookup_shows_each_statement_and_an_index_it_uses():
    call_command("load_starter_set", stdout=StringIO())
    out = StringIO()
    call_command("explain_lookup", "--q", "maison", "--lang", "fr", stdout=out)
    shown = out.getvalue()
    assert "entry_lookup_idx" in shown
    assert "term_kind_lang_key_idx" in shown
    if connection.vendor == "postgresql":  # the plan the site runs once the statement is prepared
        assert "generic plan" in shown and "$1" in shown
