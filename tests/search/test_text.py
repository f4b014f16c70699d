"""What the search does with words: no database."""

from search.demand import masked, normalise_for_log
from search.text import excerpt, fold, highlight, query_terms


def test_query_terms_keep_only_words():
    assert query_terms('corso "cucito\x00 gratis*: (pioltello) & | !') == [
        "cucito",
        "gratis",
        "pioltello",
    ]
    # Only noise words: they are what the person wants, so they stay.
    assert query_terms("corso") == ["corso"]
    assert query_terms("\x00\x01 \"' ") == []
    assert len(query_terms("parola " * 1000)) <= 12


def test_fold_removes_accents():
    assert fold("Città PERCHÉ") == "citta perche"


def test_highlight_escapes_and_marks_words_starting_like_a_term():
    html = highlight("<b>Sartoria</b> & sarte", ["sarta"])
    assert "<b>" not in html
    assert html == "&lt;b&gt;<mark>Sartoria</mark>&lt;/b&gt; &amp; <mark>sarte</mark>"


def test_excerpt_cuts_around_the_first_mention():
    text = "Parole iniziali. " * 30 + "Qui si parla di saldatura a filo. " + "Fine. " * 30
    piece = excerpt(["", text], ["saldatura"])
    assert "<mark>saldatura</mark>" in piece
    assert piece.startswith("… ") and piece.endswith(" …")
    assert len(piece) < 260


def test_search_log_keeps_no_contact_details():
    assert normalise_for_log("  Corso  di   CUCITO ") == "corso di cucito"
    assert normalise_for_log("mario.rossi@example.org") == ""
    assert normalise_for_log("chiamami 333 1234567") == ""
    assert masked("scrivete a anna@example.org o 02 1234 5678") == "scrivete a … o …"
