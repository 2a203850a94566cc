from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lookup import queries
from lookup.languages import two_letter_code
from lookup.models import Language


class Command(BaseCommand):
    help = (
        "Show the database's plan (EXPLAIN, or EXPLAIN QUERY PLAN on SQLite) for every query one "
        "lookup runs, as a visitor would search: e.g. --q haus --lang de."
    )

    def add_arguments(self, parser):
        parser.add_argument("--q", required=True, help="what to look up")
        parser.add_argument("--lang", help="ISO 639 code of the language searched (default: all)")
        parser.add_argument("--autocomplete", action="store_true", help="explain the autocomplete query instead")

    def handle(self, *args, q, lang, autocomplete, **options):
        language = None
        if lang:
            language = Language.objects.filter(code=two_letter_code(lang)).first()
            if language is None:
                raise CommandError(f"No language {lang!r} has entries.")
        captured = []

        def capture(execute, sql, params, many, context):
            captured.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            if autocomplete:
                queries.completions(query=q, language=language, user=AnonymousUser(), limit=8)
            else:
                queries.lookup_entries(
                    query=q, language=language, user=AnonymousUser(), languages=queries.languages_with_entries()
                )
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        for sql, params in captured:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            self.stdout.write(sql if len(sql) < 600 else sql[:600] + " …")
            with connection.cursor() as cursor:
                cursor.execute(explain + sql, params)
                for row in cursor.fetchall():
                    self.stdout.write("    " + " ".join(str(part) for part in row if part is not None))
            self.stdout.write("")
