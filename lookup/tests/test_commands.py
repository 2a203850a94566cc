from io import StringIO

import pytest
from django.core.management import call_command

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
