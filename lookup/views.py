from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from lookup import queries
from lookup.forms import SavedWordForm, SaveEntryForm, SearchForm, WordListForm
from lookup.languages import two_letter_code
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
    authenticated = request.user.is_authenticated
    context.update(
        page=page,
        language=language,
        dictionary=dictionary,
        results=[
            (
                entry,
                matches[entry.pk],
                queries.MATCH_LABELS[matches[entry.pk]],
                holding.get(entry.pk, []),
                SaveEntryForm(owner=request.user, lists=lists, holding=holding.get(entry.pk, []), entry_id=entry.pk)
                if authenticated
                else None,
            )
            for entry in entries
        ],
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
    form = SaveEntryForm(request.POST, owner=request.user, entry_id=entry.pk if compact else None)
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
    if form is None and request.user.is_authenticated:
        form = SaveEntryForm(
            owner=request.user, lists=lists, holding=holding.get(entry.pk, []), entry_id=entry.pk if compact else None
        )
    return {
        "entry": entry,
        "holding": holding.get(entry.pk, []),
        "save_form": form,
        "saved": saved,
        "compact": compact,
        "next": next_url(request, entry.get_absolute_url()),
    }


@require_GET
def browse(request, code):
    language = get_object_or_404(Language, code=code)
    letters = queries.language_letters(language)
    letter = request.GET.get("letter", "")
    if letter not in letters:
        letter = letters[0] if letters else ""
    entries = queries.browse_entries(language=language, letter=letter, user=request.user)
    page = Paginator(entries, BROWSE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "lookup/language_browse.html",
        {"language": language, "letters": letters, "letter": letter, "page": page},
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
    return render(request, "lookup/wordlist_detail.html", {"word_list": word_list, "page": page, "sort": sort})


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
    word = get_object_or_404(word_list.saved_words.select_related("entry__language"), pk=word_pk)
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
                {"word": word, "updated": True},
            )
        messages.success(request, f"Updated “{word}”.")
        return redirect(next_url(request, word.word_list.get_absolute_url()))
    if request.htmx:
        return render(request, "lookup/partials/saved_word_row.html", {"word": word, "form": form}, status=400)
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
