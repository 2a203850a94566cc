from django import forms
from django.db.models.functions import Lower

from lookup.languages import two_letter_code
from lookup.models import SavedWord, WordList
from lookup.normalization import normalize_key, strip_control_characters

MAX_QUERY_LENGTH = 100
DEFAULT_LIST_NAME = "My words"


class SearchForm(forms.Form):
    # lookup/search.html writes the fields out (type=search, dir=auto, the suggestions list).
    q = forms.CharField(label="Word or phrase", required=False)
    lang = forms.ChoiceField(label="Language", required=False)
    dictionary = forms.TypedChoiceField(label="Dictionary", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, languages=(), dictionaries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].validators = []  # clean_q strips NUL and other control characters
        self.fields["lang"].choices = [("", "All languages")] + [
            (language.code, language.name) for language in languages
        ]
        self.fields["dictionary"].choices = [("", "All dictionaries")] + [
            (dictionary.pk, dictionary.name) for dictionary in dictionaries
        ]
        if self.is_bound and "lang" in self.data:
            # FreeDict's three-letter codes (deu) are welcome too.
            self.data = self.data.copy()
            self.data["lang"] = two_letter_code(self.data["lang"])

    def clean_q(self):
        query = strip_control_characters(self.cleaned_data["q"])
        if len(query) > MAX_QUERY_LENGTH:
            raise forms.ValidationError(
                f"That is too long to be a word or phrase: search for at most {MAX_QUERY_LENGTH} characters."
            )
        if query and not normalize_key(query):
            raise forms.ValidationError("Type letters to search for, not only punctuation.")
        return query


class WordListForm(forms.ModelForm):
    class Meta:
        model = WordList
        fields = ["name", "description", "language"]
        widgets = {
            "name": forms.TextInput(attrs={"dir": "auto"}),
            "description": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["language"].empty_label = "Any language"

    def clean_name(self):
        name = strip_control_characters(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Give the list a name.")
        clash = WordList.objects.owned_by(self.owner).named(name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("You already have a list with this name.")
        return name


def list_to_offer(lists, holding):
    """Return which of lists to offer first for saving a word: one that does not hold it yet."""
    fresh = [word_list for word_list in lists if word_list not in holding]
    return (fresh or lists)[0] if lists else None


class SaveEntryForm(forms.Form):
    """Choose one of my lists, or name a new one, to save an entry into."""

    NEW_LIST_LABEL = "New list…"

    word_list = forms.ModelChoiceField(
        label="List", queryset=WordList.objects.none(), required=False, empty_label=NEW_LIST_LABEL
    )
    new_list_name = forms.CharField(
        label="New list name", max_length=100, required=False, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}), max_length=2000, required=False)
    context = forms.CharField(
        label="Context sentence",
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        max_length=2000,
        required=False,
        help_text="Where you met the word.",
    )

    def __init__(self, *args, owner, lists=None, holding=(), **kwargs):
        super().__init__(*args, **kwargs)
        queryset = WordList.objects.owned_by(owner).order_by(Lower("name"))
        self.fields["word_list"].queryset = queryset
        if lists is not None:
            # Reuse the lists the page already loaded instead of querying again to render.
            self.fields["word_list"].choices = [("", self.NEW_LIST_LABEL)] + [(wl.pk, wl.name) for wl in lists]
            if not self.is_bound:
                if lists:
                    self.initial.setdefault("word_list", list_to_offer(lists, holding).pk)
                else:
                    self.initial.setdefault("new_list_name", DEFAULT_LIST_NAME)

    def clean_new_list_name(self):
        return strip_control_characters(self.cleaned_data["new_list_name"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_list_name"):
            cleaned["word_list"] = None  # a name typed on the spot wins over the menu
        elif not cleaned.get("word_list"):
            if "word_list" not in self.errors and "new_list_name" not in self.errors:
                self.add_error("new_list_name", "Choose a list or name a new one.")
        return cleaned


class SavedWordForm(forms.ModelForm):
    class Meta:
        model = SavedWord
        fields = ["status", "note"]
