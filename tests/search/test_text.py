"""Index terms and queries for Chinese / English / numbers (search/text.py)."""

from search.text import document_terms, tsquery


def test_documents_hold_bigrams_and_characters_and_latin_words():
    assert document_terms("保温杯 TWS耳机5.3") == [
        "保温",
        "温杯",
        "保",
        "温",
        "杯",
        "tws",
        "耳机",
        "耳",
        "机",
        "5.3",
    ]


def test_a_one_character_query_is_the_character_and_longer_words_are_their_bigrams():
    assert tsquery("杯") == "'杯'"
    assert tsquery("景德镇") == "'景德' & '德镇'"
    # a compound is its dictionary words (no bigram across the join: not 温杯)
    assert tsquery("保温杯") == "'保温' & '杯'"
    assert tsquery("a") == "'a'"
