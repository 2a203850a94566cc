from functools import wraps
from itertools import groupby
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.timezone import get_current_timezone, localdate
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from lookup import queries
from lookup.forms import DEFAULT_LIST_NAME, SavedWordForm, SaveEntryForm, SearchForm, WordListForm, list_to_offer
from lookup.languages import two_letter_code
from lookup.links import link_maker, slug_link
from lookup.models import Entry, Language, WordList
from lookup.services import ListNameTaken, create_list, save_entry
from users.redirects import next_url

RESULTS_PER_PAGE = 20
BROWSE_PER_PAGE = 50
WORDS_PER_PAGE = 25


@never_cache
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def ping(request):
    """Render a fixed page through the whole stack: the bare view benchmarks compare pages with."""
    return render(request, "lookup/ping.html")


def home(request):
    languages = queries.languages_with_entries()
    return render(request, "lookup/home.html", {"languages": languages, "hide_nav_search": True})


def _language_for(code, languages):
    return next((language for language in languages if language.code == code), None)


def _save_forms(request, entries):
    """Return (lists, {entry id: lists holding it}) for the save controls of a page of entries."""
    lists = queries.lists_of(request.user)
    holding = queries.lists_holding(user=request.user, entry_ids=[entry.pk for entry in entries])
    return lists, holding


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
    context.update(
        page=page,
        language=language,
        dictionary=dictionary,
        # Results grouped by how they matched, in ranked order. Each carries its link, first glosses,
        # language and dictionary ready: looking them up through the entry was a quarter of a row's cost.
        groups=[
            (
                match,
                queries.MATCH_LABELS[match],
                [
                    (
                        entry,
                        entry.get_absolute_url(),
                        [sense.gloss for sense in entry.senses.all()[:3]],
                        entry.language,
                        entry.dictionary,
                        _save_box(entry, lists=lists, holding=holding.get(entry.pk, []), save_link=save_link),
                    )
                    for entry in group
                ],
            )
            for match, group in groupby(entries, key=lambda entry: matches[entry.pk])
        ],
        save_controls=_save_controls(lists=lists, next=request.get_full_path(), compact=True),
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
            "glosses": [sense.gloss for sense in entry.senses.all()],
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


def _visible_entry(request, pk):
    return get_object_or_404(Entry.objects.visible_to(request.user).with_details(), pk=pk)


@require_GET
def entry_detail(request, pk, slug=None):
    entry = _visible_entry(request, pk)
    canonical = entry.get_absolute_url()
    if escape_uri_path(request.path) != canonical:
        return redirect(canonical, permanent=True)
    return render(request, "lookup/entry_detail.html", _entry_context(request, entry))


def _entry_context(request, entry, form=None):
    return {
        **_save_context(request, entry, form=form),
        "senses": entry.senses.all(),
        "loose_examples": [example for example in entry.examples.all() if example.sense_id is None],
    }


@require_POST
def entry_save(request, pk):
    entry = _visible_entry(request, pk)
    back = next_url(request, entry.get_absolute_url())
    if not request.user.is_authenticated:
        return _to_login(request, back)
    compact = bool(request.POST.get("compact"))
    form = SaveEntryForm(request.POST, owner=request.user)
    if not form.is_valid():
        if request.htmx:
            return render(
                request, "lookup/partials/save_form.html", _save_context(request, entry, form=form), status=400
            )
        if compact:
            for error in form.errors.values():
                messages.error(request, error[0])
            return redirect(back)
        return render(request, "lookup/entry_detail.html", _entry_context(request, entry, form=form), status=400)
    saved_word, created = save_entry(
        user=request.user,
        entry=entry,
        word_list=form.cleaned_data["word_list"],
        new_list_name=form.cleaned_data["new_list_name"],
        note=form.cleaned_data["note"],
        context=form.cleaned_data["context"],
    )
    if request.htmx:
        return render(
            request, "lookup/partials/save_form.html", _save_context(request, entry, saved=(saved_word, created))
        )
    word_list = saved_word.word_list
    if created:
        messages.success(request, f"Saved “{entry.headword}” to {word_list.name}.")
    else:
        messages.info(request, f"“{entry.headword}” is already in {word_list.name}.")
    return redirect(back)


def _save_context(request, entry, form=None, saved=None):
    """Return what the save controls of one entry show (lookup/partials/save_form.html)."""
    lists, holding = _save_forms(request, [entry])
    compact = bool(request.POST.get("compact"))
    held = holding.get(entry.pk, [])
    box = _save_box(entry, lists=lists, holding=held, save_link=link_maker("lookup:entry-save"))
    if compact and form is not None:  # the learner's own choices, with what was wrong with them
        chosen = form["word_list"].value()
        box.update(
            selected=None if chosen is None else str(chosen),
            new_list_name=form["new_list_name"].value() or "",
            name_errors=form.errors.get("new_list_name", []),
        )
    elif form is None and not compact and request.user.is_authenticated:
        form = SaveEntryForm(owner=request.user, lists=lists, holding=held)
    return {
        "entry": entry,
        "box": box,
        "controls": _save_controls(lists=lists, next=next_url(request, entry.get_absolute_url()), compact=compact),
        "saved": saved,
        "save_form": form,
    }


def _save_controls(*, lists, next, compact):
    """Return what the save controls of all entries on a page share (lookup/partials/save_form.html).

    A results page shows one per entry, so they are plain values: a form per entry cost more
    than the rest of the page.
    """
    return {
        "compact": compact,
        "next": next,
        "login_url": f"{reverse('login')}?next={quote(next)}",
        "list_choices": [("", SaveEntryForm.NEW_LIST_LABEL), *((str(wl.pk), wl.name) for wl in lists)],
    }


def _save_box(entry, *, lists, holding, save_link):
    """Return what the save controls of one entry show besides those of the page."""
    offered = list_to_offer(lists, holding)
    return {
        "entry_id": str(entry.pk),
        "save_url": save_link(entry.pk),
        "holding": holding,
        "selected": None if offered is None else str(offered.pk),
        "new_list_name": "" if lists else DEFAULT_LIST_NAME,
        "name_errors": [],
    }


def _entry_url(pk, headword):
    """Return what Entry.get_absolute_url() gives for this id and headword, without an Entry."""
    slug = slugify(headword, allow_unicode=True)
    if slug:
        return slug_link("lookup:entry-detail-slug", pk, slug)
    return link_maker("lookup:entry-detail")(pk)


@require_GET
def browse(request, code):
    # The cached catalogue holds every language with entries; only an empty one is read.
    language = _language_for(code, queries.languages_with_entries()) or get_object_or_404(Language, code=code)
    letters = queries.language_letters(language)
    letter = request.GET.get("letter", "")
    if letter not in letters:
        letter = letters[0] if letters else ""
    entries = queries.browse_entries(language=language, letter=letter, user=request.user)
    page = Paginator(entries, BROWSE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (_entry_url(pk, headword), headword, part_of_speech, is_published, "; ".join(glosses))
        for pk, headword, part_of_speech, is_published, glosses in page
    ]
    # Each letter's label and link made here: the index has up to fifty, and filters cost more.
    letter_links = [(initial.upper(), quote(initial), initial == letter) for initial in letters]
    return render(
        request,
        "lookup/language_browse.html",
        {
            "language": language,
            "letters": letters,
            "letter": letter,
            "letter_links": letter_links,
            "page": page,
            "rows": rows,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def list_index(request):
    if request.method == "POST":
        form = WordListForm(request.POST, owner=request.user)
        if form.is_valid():
            try:
                word_list = create_list(owner=request.user, **form.cleaned_data)
            except ListNameTaken:
                form.add_error("name", "You already have a list with this name.")
            else:
                messages.success(request, f"Created the list {word_list.name}.")
                return redirect(word_list)
        status = 400
    else:
        form = WordListForm(owner=request.user)
        status = 200
    lists = queries.lists_with_counts(request.user)
    return render(request, "lookup/wordlist_list.html", {"lists": lists, "form": form}, status=status)


def _to_login(request, back):
    """Send a visitor to log in and back; htmx must load the login page whole, not swap it in."""
    if request.htmx:
        return HttpResponseClientRedirect(f"{reverse('login')}?{urlencode({'next': back})}")
    return redirect_to_login(back)


def owned_list_view(*methods):
    """Load the user's list before checking the method, so another user only ever sees a 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            if not request.user.is_authenticated:
                page = request.get_full_path() if request.method == "GET" else reverse("lookup:list-detail", args=[pk])
                return _to_login(request, request.htmx.current_url_abs_path or page)
            word_list = get_object_or_404(WordList, pk=pk, owner=request.user)
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, word_list, *args, **kwargs)

        return wrapper

    return decorator


@owned_list_view("GET")
def list_detail(request, word_list):
    sort = request.GET.get("sort", "added")
    if sort not in queries.SAVED_WORD_ORDERINGS:
        sort = "added"
    page = Paginator(queries.saved_words_in(word_list, sort=sort), WORDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "lookup/wordlist_detail.html",
        {"word_list": word_list, "page": page, "sort": sort, "rows": _word_rows(word_list, page)},
    )


def _word_rows(word_list, words, form=None):
    """Return what each row of a list's table shows (lookup/partials/saved_word_row.html).

    Plain values made here from queries.SavedWordRow: per row, {% url %}, int formatting, the
    date filter and lookups through objects cost more than the rest of the row. The id, label and
    links are escaped once here: a row shows its id eleven times and its label six, and escaping
    each of them in the template cost a quarter of the rows' rendering.
    """
    update_link = link_maker("lookup:word-update", word_list.pk)
    remove_link = link_maker("lookup:word-remove", word_list.pk)
    days, zone = {}, get_current_timezone()  # words saved the same day share their date's formatting
    rows = []
    for word in words:
        day = localdate(word.added_at, zone)
        if day not in days:
            days[day] = date_format(day, "j M Y")
        has_entry = word.entry_id is not None
        rows.append(
            {
                "id": escape(word.id),
                "has_entry": has_entry,
                "entry_url": _entry_url(word.entry_id, word.entry_headword) if word.is_published else "",
                "label": escape(word.entry_headword if has_entry else word.headword),
                "lang": word.language_code,
                "dir": word.language_direction,
                "part_of_speech": word.part_of_speech,
                "gloss": (word.first_gloss or "") if has_entry else word.gloss,
                "context": word.context,
                "added": days[day],
                "update_url": escape(update_link(word.id)),
                "remove_url": escape(remove_link(word.id)),
                # After a refused update, what the learner typed, and why it was refused.
                "status": (form["status"].value() if form else None) or word.status,
                "note": (form["note"].value() or "") if form else word.note,
                "note_invalid": bool(form and form["note"].errors),
                "errors": [errors[0] for errors in form.errors.values()] if form else [],
            }
        )
    return rows


@owned_list_view("GET", "POST")
def list_edit(request, word_list):
    form = WordListForm(request.POST or None, instance=word_list, owner=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Saved the list's details.")
            return redirect(word_list)
        return render(request, "lookup/wordlist_form.html", {"form": form, "word_list": word_list}, status=400)
    return render(request, "lookup/wordlist_form.html", {"form": form, "word_list": word_list})


@owned_list_view("GET", "POST")
def list_delete(request, word_list):
    if request.method == "POST":
        name = word_list.name
        word_list.delete()
        messages.success(request, f"Deleted the list {name}.")
        return redirect("lookup:list-index")
    return render(
        request,
        "lookup/wordlist_confirm_delete.html",
        {"word_list": word_list, "word_count": word_list.saved_words.count()},
    )


def _word_in(word_list, word_pk):
    word = get_object_or_404(word_list.saved_words.select_related("entry"), pk=word_pk)
    word.word_list = word_list
    return word


@owned_list_view("POST")
def word_update(request, word_list, word_pk):
    word = _word_in(word_list, word_pk)
    form = SavedWordForm(request.POST, instance=word, prefix=f"w{word.pk}")
    if form.is_valid():
        form.save()
        if request.htmx:
            return render(
                request,
                "lookup/partials/saved_word_row.html",
                {"rows": _word_rows(word_list, queries.saved_word_rows(word_list, ids=[word.pk])), "updated": True},
            )
        messages.success(request, f"Updated “{word}”.")
        return redirect(next_url(request, word.word_list.get_absolute_url()))
    if request.htmx:
        return render(
            request,
            "lookup/partials/saved_word_row.html",
            {"rows": _word_rows(word_list, queries.saved_word_rows(word_list, ids=[word.pk]), form)},
            status=400,
        )
    for errors in form.errors.values():
        messages.error(request, f"“{word}” was not changed: {errors[0]}")
    return redirect(next_url(request, word.word_list.get_absolute_url()))


@owned_list_view("POST")
def word_remove(request, word_list, word_pk):
    word = _word_in(word_list, word_pk)
    row_id = word.pk  # delete() clears it
    word.delete()
    if request.htmx:
        return render(
            request,
            "lookup/partials/saved_word_removed.html",
            {"word": word, "row_id": row_id, "word_count": word_list.saved_words.count()},
        )
    messages.success(request, f"Removed “{word}” from {word.word_list.name}.")
    return redirect(next_url(request, word.word_list.get_absolute_url()))
