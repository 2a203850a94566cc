"""The home page, the search page and the search and autocomplete API."""

from itertools import groupby

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lookup import queries
from lookup.forms import SearchForm
from lookup.languages import two_letter_code
from lookup.links import link_maker
from lookup.views.entries import _language_for, _save_box, _save_controls, _save_forms

RESULTS_PER_PAGE = 20


def home(request):
    languages = queries.languages_with_entries()
    return render(request, "lookup/home.html", {"languages": languages, "hide_nav_search": True})


def _search(request):
    """Validate a search request; return (form, query, language, dictionary) or a form with errors."""
    languages = queries.languages_with_entries()
    code = two_letter_code(request.GET.get("lang", ""))
    language = _language_for(code, languages)
    dictionaries = queries.dictionaries_of(language) if language else []
    form = SearchForm(request.GET, languages=languages, dictionaries=dictionaries)
    if not form.is_valid():
        return form, "", None, None
    dictionary = next((d for d in dictionaries if d.pk == form.cleaned_data["dictionary"]), None)
    return form, form.cleaned_data["q"], language, dictionary


def _ranked(request, query, language, dictionary):
    return queries.lookup_entries(
        query=query,
        language=language,
        dictionary=dictionary,
        user=request.user,
        languages=queries.languages_with_entries(),
    )


@require_GET
def search(request):
    form, query, language, dictionary = _search(request)
    context = {"form": form, "query": query, "page": None, "hide_nav_search": True}
    if form.errors:
        return render(request, "lookup/search.html", context, status=400)
    if not query:
        return render(request, "lookup/search.html", context)
    form.data = form.data.copy()
    form.data["q"] = query  # show what was searched for, without the stripped control characters
    page = Paginator(_ranked(request, query, language, dictionary), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    matches = dict(page.object_list)
    entries = queries.entries_in_order(list(matches))
    lists, holding = _save_forms(request, entries)
    save_link = link_maker("lookup:entry-save")
    signed_in = request.user.is_authenticated  # a visitor's results show a link to log in, not a box each
    context.update(
        page=page,
        language=language,
        dictionary=dictionary,
        # Results grouped by how they matched, in ranked order. Each row holds plain values: a
        # template reads a dict's key in a third of the time it takes to read a model's attribute.
        groups=[
            (
                match,
                queries.MATCH_LABELS[match],
                "text-bg-success" if match == "exact" else "text-bg-secondary",
                [
                    {
                        "url": entry.get_absolute_url(),
                        "headword": entry.headword,
                        "part_of_speech": entry.part_of_speech,
                        "is_published": entry.is_published,
                        "glosses": "; ".join(entry.glosses[:3]),
                        "lang": entry.language.code,
                        "dir": entry.language.direction,
                        "language": entry.language.name,
                        "dictionary": entry.dictionary.name,
                        "box": signed_in
                        and _save_box(entry, lists=lists, holding=holding.get(entry.pk, []), save_link=save_link),
                    }
                    for entry in group
                ],
            )
            for match, group in groupby(entries, key=lambda entry: matches[entry.pk])
        ],
        save_controls=_save_controls(lists=lists, next=request.get_full_path(), compact=True, signed_in=signed_in),
    )
    return render(request, "lookup/search.html", context)


API_DEFAULT_LIMIT = 20
API_MAX_LIMIT = 100


def _api_error(message):
    return JsonResponse({"error": message}, status=400)


@require_GET
def api_search(request):
    form, query, language, dictionary = _search(request)
    if form.errors:
        return _api_error(" ".join(error for errors in form.errors.values() for error in errors))
    if not query:
        return _api_error("Give a word to look up: ?q=…")
    try:
        limit = min(max(int(request.GET.get("limit", API_DEFAULT_LIMIT)), 1), API_MAX_LIMIT)
    except ValueError:
        return _api_error(f"limit must be a whole number from 1 to {API_MAX_LIMIT}.")
    ranked = _ranked(request, query, language, dictionary)[:limit]
    matches = dict(ranked)
    results = [
        {
            "headword": entry.headword,
            "language": entry.language.code,
            "dictionary": entry.dictionary.name,
            "part_of_speech": entry.part_of_speech,
            "pronunciation": entry.pronunciation,
            "glosses": entry.glosses,
            "url": request.build_absolute_uri(entry.get_absolute_url()),
            "match": matches[entry.pk],
        }
        for entry in queries.entries_in_order(list(matches))
    ]
    return JsonResponse({"query": query, "results": results}, json_dumps_params={"ensure_ascii": False})


AUTOCOMPLETE_LIMIT = 8


@require_GET
def api_autocomplete(request):
    form, query, language, dictionary = _search(request)
    if form.errors:
        return _api_error(" ".join(error for errors in form.errors.values() for error in errors))
    suggestions = queries.completions(query=query, language=language, user=request.user, limit=AUTOCOMPLETE_LIMIT)
    if request.htmx:
        return render(request, "lookup/partials/suggestions.html", {"suggestions": suggestions})
    return JsonResponse({"query": query, "suggestions": suggestions}, json_dumps_params={"ensure_ascii": False})
