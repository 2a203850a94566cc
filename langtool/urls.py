from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Langtool curation"
admin.site.site_title = "Langtool admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("users.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("lookup.urls")),
]
