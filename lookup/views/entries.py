"""Entry pages, saving an entry to a list, and browsing a language's entries by letter."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from lookup import queries
from lookup.forms import DEFAULT_LIST_NAME, SaveEntryForm, list_to_offer
from lookup.links import entry_link, link_maker
from lookup.models import Language
from lookup.services import save_entry
from users.redirects import next_url

BROWSE_PER_PAGE = 50


def _language_for(code, languages):
    return next((language for language in languages if language.code == code), None)


def _save_forms(request, entries):
    """Return (lists, {entry id: lists holding it}) for the save controls of a page of entries."""
    lists = queries.lists_of(request.user)
    holding = queries.lists_holding(user=request.user, entry_ids=[entry.pk for entry in entries])
    return lists, holding


def _visible_entry(request, pk):
    """Return (entry, its senses, its examples tied to no sense), or answer 404."""
    shown = queries.entry_page(pk, user=request.user)
    if shown is None:
        raise Http404("No such entry.")
    return shown


@require_GET
def entry_detail(request, pk, slug=None):
    shown = _visible_entry(request, pk)
    canonical = shown[0].get_absolute_url()
    if escape_uri_path(request.path) != canonical:
        return redirect(canonical, permanent=True)
    return render(request, "lookup/entry_detail.html", _entry_context(request, shown))


def _entry_context(request, shown, form=None):
    entry, senses, loose_examples = shown
    return {**_save_context(request, entry, form=form), "senses": senses, "loose_examples": loose_examples}


@require_POST
def entry_save(request, pk):
    shown = _visible_entry(request, pk)
    entry = shown[0]
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
        return render(request, "lookup/entry_detail.html", _entry_context(request, shown, form=form), status=400)
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
        "controls": _save_controls(
            lists=lists,
            next=next_url(request, entry.get_absolute_url()),
            compact=compact,
            signed_in=request.user.is_authenticated,
        ),
        "saved": saved,
        "save_form": form,
    }


def _save_controls(*, lists, next, compact, signed_in):
    """Return what the save controls of all entries on a page share (lookup/partials/save_form.html).

    A results page shows one per entry, so they are plain values: a form per entry cost more
    than the rest of the page.
    """
    return {
        "compact": compact,
        "signed_in": signed_in,
        "next": next,
        "login_url": f"{reverse('login')}?next={quote(next)}",
        "list_choices": [("", SaveEntryForm.NEW_LIST_LABEL), *((str(wl.pk), wl.name) for wl in lists)],
    }


def _save_box(entry, *, lists, holding, save_link):
    """Return what the save controls of one entry show besides those of the page."""
    offered = list_to_offer(lists, holding)
    return {
        "entry_id": str(entry.pk),
        "headword": entry.headword,
        "save_url": save_link(entry.pk),
        "holding": holding,
        "selected": None if offered is None else str(offered.pk),
        "new_list_name": "" if lists else DEFAULT_LIST_NAME,
        "name_errors": [],
    }


@require_GET
def browse(request, code):
    # The cached catalogue holds every language with entries; only an empty one is read. No code
    # holds NUL, which PostgreSQL cannot even compare (a 500).
    language = _language_for(code, queries.languages_with_entries())
    if language is None:
        if "\x00" in code:
            raise Http404("No such language.")
        language = get_object_or_404(Language, code=code)
    letters = queries.language_letters(language)
    letter = request.GET.get("letter", "")
    if letter not in letters:
        letter = letters[0] if letters else ""
    entries = queries.browse_entries(language=language, letter=letter, user=request.user)
    page = Paginator(entries, BROWSE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (entry_link(pk, headword), headword, part_of_speech, is_published, "; ".join(glosses))
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


def _to_login(request, back):
    """Send a visitor to log in and back; htmx must load the login page whole, not swap it in."""
    if request.htmx:
        return HttpResponseClientRedirect(f"{reverse('login')}?{urlencode({'next': back})}")
    return redirect_to_login(back)
