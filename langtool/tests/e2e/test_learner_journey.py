"""A learner's journey through the real UI: sign up, look words up, keep them in a list, study them."""

import re

import pytest
from playwright.sync_api import expect

from lookup.models import SavedWord
from lookup.tests.factories import DictionaryFactory, EntryFactory, LanguageFactory, SenseFactory
from users.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

PASSWORD_LABEL = re.compile(r"^\s*Password\s*\*?\s*$")  # crispy marks required fields with "*"


@pytest.fixture
def french(transactional_db):
    dictionary = DictionaryFactory(source_language=LanguageFactory(code="fr"))
    tete = EntryFactory(dictionary=dictionary, headword="tête")
    SenseFactory(entry=tete, position=1, gloss="head")
    maison = EntryFactory(dictionary=dictionary, headword="maison")
    SenseFactory(entry=maison, position=1, gloss="house")
    return tete


@pytest.fixture
def arabic(transactional_db):
    dictionary = DictionaryFactory(source_language=LanguageFactory(code="ar"))
    kitab = EntryFactory(dictionary=dictionary, headword="كِتَاب")
    SenseFactory(entry=kitab, position=1, gloss="book")
    return kitab


@pytest.fixture
def learner(transactional_db):
    return UserFactory(username="amelie")


def search_for(page, query):
    """Search with the page's search box (the navbar's, or the home page's own)."""
    # With suggestions attached (a datalist), the search box is a combobox to assistive tech.
    searchbox = page.get_by_role("combobox", name=re.compile("Word or phrase|Search for a word")).first
    searchbox.fill(query)
    searchbox.press("Enter")


def log_in(page, username):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()


def test_sign_up_save_a_word_to_a_new_list_study_it_and_log_out(page, french):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("noor")
    page.get_by_label("E-mail address").fill("noor@example.com")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Welcome to Langtool, noor!")).to_be_visible()
    expect(page.get_by_text("Signed in as noor")).to_be_visible()

    search_for(page, "tete")
    expect(page).to_have_url(re.compile(r"/search/\?q=tete"))
    result = page.locator(".entry-result").filter(has=page.get_by_role("link", name="tête", exact=True))
    result.get_by_placeholder("or new list…").fill("Body parts")
    page.evaluate("window.stillTheSamePage = true")
    result.get_by_role("button", name="Save “tête”").click()
    expect(result.get_by_role("status")).to_have_text("Saved to Body parts.")
    assert page.evaluate("window.stillTheSamePage === true"), "saving should swap in place, not reload"

    page.get_by_role("link", name="My lists").click()
    page.get_by_role("link", name=re.compile(r"Body parts\s+1 word")).click()
    expect(page.get_by_role("heading", name="Body parts")).to_be_visible()
    status = page.get_by_label("Status of “tête”")
    expect(status).to_have_value("new")
    status.select_option("learning")
    page.get_by_role("button", name="Update “tête”").click()
    expect(page.get_by_role("row").get_by_role("status")).to_have_text("Saved.")
    page.reload()
    expect(page.get_by_label("Status of “tête”")).to_have_value("learning")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove “tête”").click()
    expect(page.get_by_role("link", name="tête", exact=True)).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text("Removed “tête”.")
    expect(page.get_by_role("status")).to_be_focused()  # the keyboard user keeps their place
    expect(page.locator("#word-count")).to_have_text("0 words")
    page.reload()
    expect(page.get_by_text("This list is empty.")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_have_count(0)


def test_arabic_search_without_vowel_marks_finds_the_voweled_headword_written_rtl(page, arabic):
    page.goto("/")
    home_search = page.get_by_role("main").get_by_role("search")
    home_search.get_by_label("Word or phrase").fill("كتاب")
    home_search.get_by_label("Language").select_option(label="Arabic")
    home_search.get_by_role("button", name="Search").click()
    headword = page.locator(".result-headword", has_text="كِتَاب")
    expect(headword).to_have_text("كِتَاب")
    expect(headword).to_have_attribute("dir", "rtl")
    expect(headword).to_have_attribute("lang", "ar")

    headword.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("كِتَاب")
    expect(page.get_by_role("heading", level=1)).to_have_attribute("dir", "rtl")


def test_visitor_logs_in_to_save_and_comes_back_to_the_same_search(page, french, learner):
    page.goto("/search/?q=tete&lang=fr")
    search_url = page.url
    page.get_by_role("link", name="Log in to save “tête”").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    log_in(page, "amelie")
    expect(page).to_have_url(search_url)
    expect(page.get_by_role("button", name="Save “tête”")).to_be_visible()


def test_saving_and_studying_work_without_javascript(new_context, french, learner):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/accounts/login/")
    log_in(page, "amelie")

    page.goto("/search/?q=tete")
    page.get_by_role("link", name="tête", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("tête")
    page.get_by_label("New list name").fill("Body parts")
    page.get_by_role("button", name="Save to list").click()
    expect(page.get_by_text("Saved “tête” to Body parts.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/entries/\d+/"))

    page.get_by_role("link", name="Body parts").click()
    page.get_by_label("Status of “tête”").select_option("learning")
    page.get_by_role("button", name="Update “tête”").click()
    expect(page.get_by_text("Updated “tête”.")).to_be_visible()
    expect(page.get_by_label("Status of “tête”")).to_have_value("learning")
    assert SavedWord.objects.get(entry=french).status == "learning"

    page.get_by_role("button", name="Remove “tête”").click()
    expect(page.get_by_text("Removed “tête” from Body parts.")).to_be_visible()
    expect(page.get_by_text("This list is empty.")).to_be_visible()


def test_signing_up_with_the_keyboard_only(page, transactional_db):
    page.goto("/accounts/signup/")
    username = page.get_by_label("Username")
    for _ in range(15):  # from the top of the page, Tab to the first field of the form
        if page.evaluate("document.activeElement && document.activeElement.id") == "id_username":
            break
        page.keyboard.press("Tab")
    expect(username).to_be_focused()
    page.keyboard.type("kbd_user")
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-mail address")).to_be_focused()
    page.keyboard.type("kbd@example.com")
    page.keyboard.press("Tab")
    expect(page.get_by_label(PASSWORD_LABEL)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password confirmation")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Signed in as kbd_user")).to_be_visible()


def test_search_box_suggests_completions_as_you_type(page, french):
    page.goto("/search/")
    box = page.get_by_role("combobox", name="Word or phrase")
    box.press_sequentially("ma", delay=50)
    expect(page.locator("#id_q-suggestions option[value='maison']")).to_be_attached()
    box.press("Enter")
    expect(page.locator(".result-headword", has_text="maison")).to_be_visible()


def test_on_a_phone_the_navbar_search_shows_whole_language_names(new_context, french):
    def navbar_search(width):
        page = new_context(viewport={"width": width, "height": 700}).new_page()
        page.goto("/browse/fr/")
        search = page.get_by_role("navigation", name="Main").get_by_role("search")
        parts = [
            search.get_by_label("Search for a word"),
            search.get_by_label("Language"),
            search.get_by_role("button"),
        ]
        return [part.bounding_box() for part in parts]

    _, wide_select, _ = navbar_search(1000)
    for width in (390, 320):
        word, select, button = navbar_search(width)
        assert select["width"] >= wide_select["width"] - 1, f"the language list is cut short at {width} px"
        assert all(box["x"] >= 0 and box["x"] + box["width"] <= width for box in (word, select, button))
        assert word["width"] > width / 2, "the word gets a row of its own"
