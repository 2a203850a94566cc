from django.urls import path

from lookup.views import entries, health, lists, search

app_name = "lookup"

urlpatterns = [
    path("", search.home, name="home"),
    path("search/", search.search, name="search"),
    path("entries/<int:pk>/", entries.entry_detail, name="entry-detail"),
    # "+" never appears in a slug, so no headword (not even "save") can collide with the action.
    path("entries/<int:pk>/+save/", entries.entry_save, name="entry-save"),
    path("entries/<int:pk>/<str:slug>/", entries.entry_detail, name="entry-detail-slug"),
    path("browse/<str:code>/", entries.browse, name="browse"),
    path("lists/", lists.list_index, name="list-index"),
    path("lists/<int:pk>/", lists.list_detail, name="list-detail"),
    path("lists/<int:pk>/edit/", lists.list_edit, name="list-edit"),
    path("lists/<int:pk>/delete/", lists.list_delete, name="list-delete"),
    path("lists/<int:pk>/words/<int:word_pk>/", lists.word_update, name="word-update"),
    path("lists/<int:pk>/words/<int:word_pk>/remove/", lists.word_remove, name="word-remove"),
    path("api/search/", search.api_search, name="api-search"),
    path("api/autocomplete/", search.api_autocomplete, name="api-autocomplete"),
    path("healthz/", health.healthz, name="healthz"),
    path("ping/", health.ping, name="ping"),
]
