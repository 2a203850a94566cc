from django.urls import path

from lookup import views

app_name = "lookup"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("entries/<int:pk>/", views.entry_detail, name="entry-detail"),
    # "+" never appears in a slug, so no headword (not even "save") can collide with the action.
    path("entries/<int:pk>/+save/", views.entry_save, name="entry-save"),
    path("entries/<int:pk>/<str:slug>/", views.entry_detail, name="entry-detail-slug"),
    path("browse/<str:code>/", views.browse, name="browse"),
    path("lists/", views.list_index, name="list-index"),
    path("lists/<int:pk>/", views.list_detail, name="list-detail"),
    path("lists/<int:pk>/edit/", views.list_edit, name="list-edit"),
    path("lists/<int:pk>/delete/", views.list_delete, name="list-delete"),
    path("lists/<int:pk>/words/<int:word_pk>/", views.word_update, name="word-update"),
    path("lists/<int:pk>/words/<int:word_pk>/remove/", views.word_remove, name="word-remove"),
    path("api/search/", views.api_search, name="api-search"),
    path("api/autocomplete/", views.api_autocomplete, name="api-autocomplete"),
    path("healthz/", views.healthz, name="healthz"),
    path("ping/", views.ping, name="ping"),
]
