import re

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg.pq import PipelineStatus

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
            # Statements sent in a pipeline are the lookups that run on a generic plan (queries._rows).
            generic = connection.vendor == "postgresql" and (
                connection.connection.pgconn.pipeline_status != PipelineStatus.OFF
            )
            captured.append((sql, params, generic))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            if autocomplete:
                queries.completions(query=q, language=language, user=AnonymousUser(), limit=8)
            else:
                queries.lookup_entries(
                    query=q, language=language, user=AnonymousUser(), languages=queries.languages_with_entries()
                )
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        for sql, params, generic in captured:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            self.stdout.write(sql if len(sql) < 600 else sql[:600] + " …")
            if generic:
                self.stdout.write("  generic plan, as the site runs it once prepared:")
                rows = _generic_plan(sql, params)
            else:
                with connection.cursor() as cursor:
                    cursor.execute(explain + sql, params)
                    rows = cursor.fetchall()
            for row in rows:
                self.stdout.write("    " + " ".join(str(part) for part in row if part is not None))
            self.stdout.write("")


def _generic_plan(sql: str, params) -> list[tuple]:
    """Return PostgreSQL's generic plan of sql: what EXPLAIN EXECUTE shows of it prepared, with
    plan_cache_mode forced as the lookups force it. EXPLAIN with parameters shows a custom plan."""
    numbers = iter(range(1, len(params) + 1))
    prepared = re.sub(r"%%|%s", lambda match: "%" if match[0] == "%%" else f"${next(numbers)}", sql)
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            cursor.execute(f"PREPARE langtool_explain AS {prepared}")
            try:
                # The values as literals: parameters of EXECUTE itself would reach the server untyped.
                values = connection.ops.compose_sql(", ".join(["%s"] * len(params)), list(params))
                cursor.execute(f"EXPLAIN EXECUTE langtool_explain({values})")
                return cursor.fetchall()
            finally:
                cursor.execute("DEALLOCATE langtool_explain")
        finally:
            cursor.execute("RESET plan_cache_mode")
