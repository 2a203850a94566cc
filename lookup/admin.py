from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.db import models, transaction
from django.db.models import Prefetch

from lookup.models import Dictionary, Entry, Example, Language, SavedWord, Sense, WordList
from lookup.queries import forget_languages
from lookup.readers import MAX_GLOSS
from lookup.services import reindex_entries


class SearchWithoutNul:
    """Find nothing for a search term holding NUL, which PostgreSQL cannot compare text with.

    The change lists' search form refuses one itself; the autocomplete view behind the admin's
    foreign-key pickers hands the term straight to the database, which answered with a 500.
    """

    def get_search_results(self, request, queryset, search_term):
        if "\x00" in search_term:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class ForgetsLanguagesAdmin(SearchWithoutNul, admin.ModelAdmin):
    """Drop the cached catalogue once a change is committed: languages, dictionaries, and the
    browse letters and counts that entries make up."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(forget_languages)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(forget_languages)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(forget_languages)


@admin.register(Language)
class LanguageAdmin(ForgetsLanguagesAdmin):
    list_display = ["name", "code", "direction"]
    list_filter = ["direction"]
    search_fields = ["name", "code"]


@admin.register(Dictionary)
class DictionaryAdmin(ForgetsLanguagesAdmin):
    list_display = ["name", "source_language", "target_language", "entry_count", "licence", "version"]
    list_filter = ["source_language", "target_language"]
    list_select_related = ["source_language", "target_language"]
    search_fields = ["name", "description", "licence"]
    autocomplete_fields = ["source_language", "target_language"]
    readonly_fields = ["entry_count", "created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "source_language" in form.changed_data:
            # Entries carry their dictionary's language for search; keep them in step.
            obj.entries.update(language=obj.source_language)


# A gloss past what imports take would fail in the database (PostgreSQL's full-text index).
GLOSS_LIMIT = {models.TextField: {"max_length": MAX_GLOSS}}


class SenseInline(admin.TabularInline):
    model = Sense
    extra = 1
    fields = ["position", "gloss"]
    formfield_overrides = GLOSS_LIMIT


class ExampleInline(admin.TabularInline):
    model = Example
    extra = 0
    fields = ["sense", "position", "text", "translation"]

    def get_formset(self, request, obj=None, **kwargs):
        self.parent_entry = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "sense":
            # Offer only this entry's own senses, read once for all the inline's rows.
            field.queryset = Sense.objects.filter(entry=getattr(self, "parent_entry", None))
            field.choices = [("", "---------")] + [(sense.pk, str(sense)) for sense in field.queryset]
        return field


@admin.register(Entry)
class EntryAdmin(ForgetsLanguagesAdmin):
    list_display = ["headword", "part_of_speech", "language", "dictionary", "first_gloss", "is_published", "updated_at"]
    list_filter = ["is_published", "language", "dictionary", "part_of_speech"]
    list_select_related = ["language", "dictionary"]
    search_fields = ["headword", "search_key", "senses__gloss"]
    autocomplete_fields = ["dictionary"]
    readonly_fields = ["language", "search_key", "source", "created_at", "updated_at"]
    fields = [
        "headword",
        "dictionary",
        "language",
        "part_of_speech",
        "grammar",
        "pronunciation",
        "frequency_rank",
        "is_published",
        "search_key",
        "source",
        "created_at",
        "updated_at",
    ]
    inlines = [SenseInline, ExampleInline]
    actions = ["publish", "unpublish"]
    list_per_page = 100
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("senses", queryset=Sense.objects.order_by("position")))
        )

    @admin.display(description="first gloss")
    def first_gloss(self, entry):
        senses = entry.senses.all()
        return senses[0].gloss[:80] if senses else ""

    @admin.display(description="came from")
    def source(self, entry):
        dictionary = entry.dictionary
        parts = [
            dictionary.name,
            dictionary.version and f"version {dictionary.version}",
            dictionary.licence,
            dictionary.url,
        ]
        return " · ".join(part for part in parts if part)

    def save_model(self, request, obj, form, change):
        obj.language_id = obj.dictionary.source_language_id
        obj.set_search_fields()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        reindex_entries(Entry.objects.filter(pk=form.instance.pk))  # glosses feed reverse lookup

    @admin.action(description="Publish selected entries", permissions=["change"])
    def publish(self, request, queryset):
        count = queryset.update(is_published=True)
        transaction.on_commit(forget_languages)
        self.message_user(request, f"Published {count} {model_ngettext(self.opts, count)}.", messages.SUCCESS)

    @admin.action(description="Unpublish (hide) selected entries", permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.update(is_published=False)
        transaction.on_commit(forget_languages)
        self.message_user(request, f"Unpublished {count} {model_ngettext(self.opts, count)}.", messages.SUCCESS)


@admin.register(Sense)
class SenseAdmin(SearchWithoutNul, admin.ModelAdmin):
    list_display = ["gloss", "position", "entry"]
    list_select_related = ["entry"]
    search_fields = ["gloss", "entry__headword"]
    autocomplete_fields = ["entry"]
    list_filter = ["entry__language"]
    formfield_overrides = GLOSS_LIMIT


@admin.register(Example)
class ExampleAdmin(SearchWithoutNul, admin.ModelAdmin):
    list_display = ["text", "translation", "entry"]
    list_select_related = ["entry"]
    search_fields = ["text", "translation", "entry__headword"]
    autocomplete_fields = ["entry", "sense"]


@admin.register(WordList)
class WordListAdmin(SearchWithoutNul, admin.ModelAdmin):
    list_display = ["name", "owner", "language", "visibility", "created_at"]
    list_filter = ["visibility", "language"]
    list_select_related = ["owner", "language"]
    search_fields = ["name", "owner__username"]
    autocomplete_fields = ["owner", "language"]


@admin.register(SavedWord)
class SavedWordAdmin(SearchWithoutNul, admin.ModelAdmin):
    list_display = ["__str__", "word_list", "status", "added_at"]
    list_filter = ["status"]
    list_select_related = ["entry", "word_list"]
    search_fields = ["headword", "entry__headword", "word_list__name"]
    autocomplete_fields = ["word_list", "entry"]
