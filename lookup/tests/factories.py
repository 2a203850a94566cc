import factory

from lookup.models import Dictionary, Entry, Example, Language, SavedWord, Sense, WordList
from lookup.normalization import initial_of, normalize_key
from users.tests.factories import UserFactory


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ["code"]

    code = "fr"
    name = factory.LazyAttribute(
        lambda language: {"fr": "French", "de": "German", "ar": "Arabic", "en": "English"}.get(
            language.code, language.code
        )
    )
    direction = factory.LazyAttribute(lambda language: "rtl" if language.code == "ar" else "ltr")


class DictionaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dictionary

    name = factory.Sequence(lambda n: f"Test dictionary {n}")
    source_language = factory.SubFactory(LanguageFactory, code="fr")
    target_language = factory.SubFactory(LanguageFactory, code="en")
    licence = "CC0-1.0"


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    dictionary = factory.SubFactory(DictionaryFactory)
    language = factory.LazyAttribute(lambda entry: entry.dictionary.source_language)
    headword = factory.Sequence(lambda n: f"mot{n}")
    search_key = factory.LazyAttribute(lambda entry: normalize_key(entry.headword))
    initial = factory.LazyAttribute(lambda entry: initial_of(entry.search_key))
    part_of_speech = "noun"


class SenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sense

    entry = factory.SubFactory(EntryFactory)
    position = factory.Sequence(lambda n: n + 1)
    gloss = factory.Sequence(lambda n: f"meaning {n}")


class ExampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Example

    sense = factory.SubFactory(SenseFactory)
    entry = factory.LazyAttribute(lambda example: example.sense.entry)
    text = "Une phrase d'exemple."
    translation = "An example sentence."


class WordListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WordList

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"List {n}")


class SavedWordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedWord

    word_list = factory.SubFactory(WordListFactory)
    entry = factory.SubFactory(EntryFactory)
