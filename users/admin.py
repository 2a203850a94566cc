from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from lookup.admin import SearchWithoutNul
from users.models import User


@admin.register(User)
class UserAdmin(SearchWithoutNul, DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Learning", {"fields": ("display_name", "native_language", "learning_languages")}),
    )
    list_display = ["username", "email", "display_name", "is_staff", "date_joined"]
    autocomplete_fields = ["native_language"]
    filter_horizontal = ["learning_languages", "groups", "user_permissions"]
