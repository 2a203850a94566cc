import secrets

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.urls import reverse

from lookup.links import entry_link
from lookup.normalization import initial_of, normalize_key


class Language(models.Model):
    """A language entries are written in, with the direction its script runs."""

    class Direction(models.TextChoices):
        LTR = "ltr", "left to right"
        RTL = "rtl", "right to left"

    code = models.CharField("ISO 639 code", max_length=12, unique=True)
    name = models.CharField(max_length=80)
    direction = models.CharField(max_length=3, choices=Direction, default=Direction.LTR)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("lookup:browse", args=[self.code])

    @property
    def is_rtl(self):
        return self.direction == self.Direction.RTL


class Dictionary(models.Model):
    """A source of entries for one language pair, with where it came from."""

    name = models.CharField(max_length=200, unique=True)
    source_language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="source_dictionaries")
    target_language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="target_dictionaries")
    description = models.TextField(blank=True)
    licence = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    version = models.CharField(max_length=50, blank=True)
    entry_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "dictionaries"

    def __str__(self):
        return self.name

    @property
    def has_web_url(self):
        """Return whether url is an http(s) address, safe to show as a link."""
        return self.url.startswith(("https://", "http://"))


class EntryQuerySet(models.QuerySet):
    def published(self):
        """Return entries anyone may see."""
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Return the entries user may see: staff also see unpublished ones."""
        return self if user.is_staff else self.published()

    def in_language(self, code):
        """Return entries whose headword is in the language with this code."""
        return self.filter(language__code=code)

    def with_key_prefix(self, prefix):
        """Return entries whose search key starts with prefix, as an index range scan."""
        return self.filter(search_key__gte=prefix, search_key__lt=prefix + "\U0010ffff")


class Entry(models.Model):
    """One headword in one dictionary, with its ordered senses."""

    # Both foreign keys lead composite indexes below, which serve their joins too: a separate
    # index each would only slow imports down.
    dictionary = models.ForeignKey(Dictionary, on_delete=models.CASCADE, related_name="entries", db_index=False)
    # Copied from the dictionary so that search filters and sorts on one table's index.
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="entries", db_index=False)
    headword = models.CharField(max_length=255)
    # Byte-order collation on PostgreSQL (migration 0004): keep it if this field is ever altered.
    search_key = models.CharField(max_length=255, editable=False)
    initial = models.CharField(max_length=1, editable=False)
    part_of_speech = models.CharField(max_length=50, blank=True)
    grammar = models.CharField(max_length=100, blank=True, help_text="Gender, number and other grammar notes.")
    pronunciation = models.CharField(max_length=255, blank=True)
    frequency_rank = models.PositiveIntegerField(
        null=True, blank=True, help_text="1 is the most frequent word of the language."
    )
    is_published = models.BooleanField("published", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["search_key", "headword", "pk"]
        verbose_name_plural = "entries"
        indexes = [
            # Every search and browse path: exact key, prefix range, letter range. Rank and the
            # published flag ride along so that ranking a prefix range reads only this index.
            models.Index(
                fields=["language", "search_key", "frequency_rank", "is_published", "id"], name="entry_lookup_idx"
            ),
            models.Index(fields=["dictionary", "headword"], name="entry_dictionary_headword_idx"),
            # Completions rank by frequency: the ranked words of a short prefix ("sch") are a few
            # hundred, where the whole range is thousands to sort. Unranked ones follow in key order.
            models.Index(
                fields=["language", "search_key", "frequency_rank", "is_published", "id"],
                condition=models.Q(frequency_rank__isnull=False),
                name="entry_ranked_key_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(headword=""), name="entry_headword_not_empty"),
        ]

    def __str__(self):
        return self.headword

    def get_absolute_url(self):
        return entry_link(self.pk, self.headword)

    def set_search_fields(self):
        """Derive the search key and browse letter from the headword."""
        self.search_key = normalize_key(self.headword)[:255]
        self.initial = initial_of(self.search_key)


class Sense(models.Model):
    """One numbered meaning of an entry, as a gloss in the target language."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="senses")
    position = models.PositiveSmallIntegerField(default=1)
    gloss = models.TextField()

    class Meta:
        # Positions order senses and may tie while a curator reorders them; pk breaks ties. The
        # entry's id, not the entry: ordering by the entry joined lookup_entry to every sense query.
        ordering = ["entry_id", "position", "pk"]

    def __str__(self):
        return f"{self.position}. {self.gloss}"


class Example(models.Model):
    """A usage example of an entry, optionally tied to one of its senses."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="examples")
    sense = models.ForeignKey(Sense, on_delete=models.CASCADE, null=True, blank=True, related_name="examples")
    text = models.TextField()
    translation = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


def new_share_token():
    return secrets.token_urlsafe(16)


class WordListQuerySet(models.QuerySet):
    def owned_by(self, user):
        """Return the lists that belong to user."""
        return self.filter(owner=user)

    def named(self, name):
        """Return the lists called name, compared as the uniqueness constraint compares (Lower)."""
        return self.alias(lower_name=Lower("name")).filter(lower_name=Lower(Value(name)))


class WordList(models.Model):
    """A learner's named collection of saved words."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "private"
        SHARED = "shared", "shared by link"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="word_lists")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, max_length=2000)
    language = models.ForeignKey(Language, on_delete=models.SET_NULL, null=True, blank=True, related_name="word_lists")
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.PRIVATE)
    share_token = models.CharField(max_length=32, unique=True, default=new_share_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WordListQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "owner", name="wordlist_unique_name_per_owner"),
            models.CheckConstraint(condition=~models.Q(name=""), name="wordlist_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("lookup:list-detail", args=[self.pk])


class SavedWord(models.Model):
    """An entry, or a learner's own word, kept in a list with a note and a study status."""

    class Status(models.TextChoices):
        NEW = "new", "new"
        LEARNING = "learning", "learning"
        KNOWN = "known", "known"

    # The index on (word_list, added_at, id) below serves this key's lookups and cascades.
    word_list = models.ForeignKey(WordList, on_delete=models.CASCADE, related_name="saved_words", db_index=False)
    # PROTECT: deleting an entry must never silently delete learners' words and notes;
    # curators unpublish such entries instead.
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="saved_words")
    # A learner's own word (no entry) carries its own headword and gloss.
    headword = models.CharField(max_length=255, blank=True)
    gloss = models.TextField(blank=True)
    note = models.TextField(blank=True, max_length=2000)
    context = models.TextField("context sentence", blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status, default=Status.NEW)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["word_list", "entry"],
                condition=models.Q(entry__isnull=False),
                name="savedword_entry_once_per_list",
            ),
            models.CheckConstraint(
                condition=models.Q(entry__isnull=False) | ~models.Q(headword=""),
                name="savedword_has_entry_or_headword",
            ),
        ]
        # In the list page's order (newest first, read backwards), so that a page of a long list
        # reads its own rows only. SQLite's indexes end in the rowid anyway; PostgreSQL's need the id.
        indexes = [models.Index(fields=["word_list", "added_at", "id"], name="savedword_list_added_id_idx")]

    def __str__(self):
        return self.headword or str(self.entry)


class SearchTerm(models.Model):
    """An extra key an entry is found by: a word of its phrase, its Arabic form without the
    article, or a word its glosses translate it as (reverse lookup). Lower rank, closer match."""

    class Kind(models.TextChoices):
        PHRASE_WORD = "word", "word of a phrase"
        ARABIC_BARE = "article", "without the article"
        READING = "reading", "kana reading"
        GLOSS = "gloss", "translation"

    # Terms are an index derived from entries, like the full-text table over glosses: the code
    # that writes an entry writes its terms (imports, reindex_entries) and deletes them with it
    # (the ORM's cascade, _delete_dictionary). The database checks neither foreign key: on
    # PostgreSQL the check is a trigger per row, which cost an import as long as the rows
    # themselves (2.0 of 4.3 s for 100,000 entries' terms). Lookups join terms to their entries,
    # so a stray term could find nothing.
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="search_terms", db_constraint=False)
    # Copied from the entry so that a language-limited lookup stays on this table's index
    # (which also serves the entry's foreign key).
    language = models.ForeignKey(
        Language, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    kind = models.CharField(max_length=10, choices=Kind)
    key = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            # Lookups without a language name every language, so one index serves both.
            models.Index(fields=["kind", "language", "key", "rank"], name="term_kind_lang_key_idx"),
        ]

    def __str__(self):
        return f"{self.key} ({self.kind})"
