"""Links to many rows of one kind without a reverse() each: result and list pages show dozens, and
reverse() costs more than the rest of a link."""

import functools
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.text import slugify

_ID, _SLUG = 987654321987654321, "slug-marker"


@functools.lru_cache(maxsize=64)
def _parts(script_prefix: str, name: str, fixed: tuple, slug: bool) -> tuple[str, str, str]:
    args = [*fixed, _ID, _SLUG] if slug else [*fixed, _ID]
    head, rest = reverse(name, args=args).rsplit(str(_ID), 1)
    middle, tail = rest.split(_SLUG, 1) if slug else (rest, "")
    return head, middle, tail


def link_maker(name: str, *fixed):
    """Return a function of an id giving reverse(name, args=[*fixed, id]), reversed once per site prefix."""
    head, middle, _ = _parts(get_script_prefix(), name, fixed, False)
    return lambda pk: f"{head}{pk}{middle}"


def slug_link(name: str, pk, slug: str) -> str:
    """Return reverse(name, args=[pk, slug]), quoting the slug as reverse() does."""
    head, middle, tail = _parts(get_script_prefix(), name, (), True)
    return f"{head}{pk}{middle}{quote(slug, safe=RFC3986_SUBDELIMS + '/~:@')}{tail}"


def entry_link(pk, headword: str) -> str:
    """Return an entry's page: its id and a readable slug of its headword, or the id alone."""
    slug = slugify(headword, allow_unicode=True)
    if slug:
        return slug_link("lookup:entry-detail-slug", pk, slug)
    return link_maker("lookup:entry-detail")(pk)
