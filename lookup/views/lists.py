"""A learner's word lists and the words saved in them."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.timezone import get_current_timezone, localdate
from django.views.decorators.http import require_http_methods

from lookup import queries
from lookup.forms import SavedWordForm, WordListForm
from lookup.links import entry_link, link_maker
from lookup.services import ListNameTaken, create_list
from lookup.views.entries import _to_login
from users.redirects import next_url

WORDS_PER_PAGE = 25


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


def owned_list_view(*methods):
    """Load the user's list before checking the method, so another user only ever sees a 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            if not request.user.is_authenticated:
                page = request.get_full_path() if request.method == "GET" else reverse("lookup:list-detail", args=[pk])
                return _to_login(request, request.htmx.current_url_abs_path or page)
            word_list = queries.owned_list(pk, owner=request.user)
            if word_list is None:
                raise Http404("No such list.")
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
                "entry_url": entry_link(word.entry_id, word.entry_headword) if word.is_published else "",
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
        {"word_list": word_list, "word_count": word_list.word_count},
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
