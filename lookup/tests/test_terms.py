from lookup.terms import GLOSS, MAX_ITEMS_PER_SENSE, entry_terms, gloss_terms


def test_each_item_of_a_gloss_is_a_key_and_the_first_item_of_the_first_sense_ranks_best():
    assert gloss_terms(["house, home; dwelling"]) == [(GLOSS, "house", 0), (GLOSS, "home", 1), (GLOSS, "dwelling", 1)]


def test_later_senses_rank_lower_up_to_a_floor():
    ranks = {key: rank for _, key, rank in gloss_terms(["one", "two", "three", "four", "five, six"])}
    assert ranks == {"one": 0, "two": 2, "three": 4, "four": 6, "five": 6, "six": 7}


def test_a_key_in_several_senses_keeps_its_best_rank():
    ranks = {key: rank for _, key, rank in gloss_terms(["run, dash", "dash", "sprint, run"])}
    assert ranks == {"run": 0, "dash": 1, "sprint": 4}


def test_labels_leading_particles_and_stop_words_are_not_keys():
    keys = [key for _, key, _ in gloss_terms(["(coll.) to run away [fig.], the Door, sth., A"])]
    assert keys == ["run away", "door"]


def test_keys_are_folded_as_headwords_are():
    assert gloss_terms(["Café-au-lait,  ÉTÉ  time"]) == [(GLOSS, "cafeaulait", 0), (GLOSS, "ete time", 1)]


def test_only_the_first_items_of_a_long_gloss_become_keys():
    gloss = ", ".join(f"word{number}" for number in range(MAX_ITEMS_PER_SENSE + 4))
    assert len(gloss_terms([gloss])) == MAX_ITEMS_PER_SENSE


def test_entry_terms_add_phrase_words_and_the_arabic_bare_form():
    assert entry_terms(search_key="ice cream", language_code="en", glosses=["Eis"]) == [
        ("word", "ice", 0),
        ("word", "cream", 1),
        (GLOSS, "eis", 0),
    ]
    assert ("article", "كتاب", 0) in entry_terms(search_key="الكتاب", language_code="ar", glosses=["the book"])
