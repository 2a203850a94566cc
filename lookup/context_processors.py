from lookup.queries import languages_with_entries


def search_box(request):
    """Give every page's search box its languages and the current query."""
    return {
        "search_languages": languages_with_entries(),
        "search_query": request.GET.get("q", "")[:200],
        "search_lang": request.GET.get("lang", ""),
    }
