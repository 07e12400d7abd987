from mosty.knowledge.text import normalise, plain_text, query_terms, render_markdown, snippet


def test_normalise_folds_diacritics_and_keeps_length():
    for text in [
        "Poznań Łódź Gdańsk",
        "Київ, їжак, ґанок",
        "Ёлка",
        "مَدرَسة",
        "Façade naïve",
        "İstanbul",
    ]:
        assert len(normalise(text)) == len(text)
    assert normalise("Poznań Łódź") == "poznan lodz"
    assert normalise("Ёлка") == "елка"


def test_query_terms_drop_syntax():
    assert query_terms('"PESEL" AND (Poznań*)') == ["pesel", "and", "poznan"]
    assert query_terms("  ") == []


def test_snippet_escapes_and_marks():
    text = "<b>Urząd</b> w Poznaniu"
    html = snippet(text, ["poznan"])
    assert "&lt;b&gt;" in html and "<mark>Poznaniu</mark>" in html


def test_plain_text_strips_markdown():
    assert plain_text("## Tytuł\n\n**PESEL**, [urząd](https://x.pl) | a") == "Tytuł PESEL, urząd a"


def test_render_markdown_keeps_tables_and_safe_links():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n[x](https://example.org)")
    assert "<table>" in html and 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer"' in html
