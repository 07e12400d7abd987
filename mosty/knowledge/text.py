"""Text helpers: safe Markdown, diacritic-free search text, snippets and source diffs."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from html import escape

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}

# Letters that Unicode does not decompose into a base letter plus a mark.
_FOLD = {"ł": "l", "đ": "d", "ø": "o", "ß": "s", "æ": "a", "œ": "o", "ı": "i", "ħ": "h"}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    lower = char.lower()[:1] or char
    if lower in _FOLD:
        return _FOLD[lower]
    base = unicodedata.normalize("NFD", lower)[:1]
    # Arabic/Persian harakat and other combining marks fold to a space-less nothing would
    # change the length, so they become a space only when they stand alone.
    if unicodedata.combining(base):
        return " "
    return base or lower


def normalise(text: str) -> str:
    """Lower case without diacritics, one character per character ("Poznań" -> "poznan").

    Keeping the length lets a match found in the normalised text be cut from the original.
    """
    return "".join(_fold_char(c) for c in text)


def search_columns(title: str, summary: str, body: str) -> dict[str, str]:
    """A translation's search columns: diacritic-free `search_title` and `search_body` (what
    the FTS5 triggers and the PostgreSQL index read), and `search_text`, the summary and the
    body as plain text, which `search_body` folds character for character and the search's
    snippets are cut from."""
    text = plain_text(f"{summary}\n{body}")
    return {"search_title": normalise(title), "search_body": normalise(text), "search_text": text}


def render_markdown(source: str) -> SafeString:
    html = markdown_lib.markdown(source or "", extensions=["tables", "sane_lists"])
    return mark_safe(  # noqa: S308 - nh3 has just sanitised it
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto", "tel"},
            link_rel="noopener noreferrer",
        )
    )


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = "#*_`>"


def plain_text(source: str) -> str:
    """Markdown without its markup, for snippets and the search index (str methods, not
    regular expressions where possible: this runs for every search result)."""
    text = source or ""
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    for mark in _MD_MARKS:
        if mark in text:
            text = text.replace(mark, "")
    return " ".join(text.replace("|", " ").split())


WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(query: str) -> list[str]:
    return [t for t in WORD.findall(normalise(query or "")) if t.strip()][:10]


def snippet(
    text: str, terms: list[str], *, width: int = 200, folded: str | None = None
) -> SafeString:
    """A window of `text` around the first term found, terms marked with <mark>.

    `folded` is `normalise(text)` when the caller has it already (the stored search columns).
    """
    if folded is None or len(folded) != len(text):
        folded = normalise(text)
    positions = [folded.find(t) for t in terms if t and folded.find(t) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    end = min(len(text), start + width)
    window, folded_window = text[start:end], folded[start:end]
    marks: list[tuple[int, int]] = []
    for term in terms:
        # Terms match word prefixes ("poznan" -> "Poznaniu"): mark the whole word.
        for match in re.finditer(re.escape(term) + r"\w*", folded_window):
            marks.append((match.start(), match.end()))
    marks.sort()
    out, cursor = [], 0
    for s, e in marks:
        if s < cursor:
            continue
        out.append(escape(window[cursor:s]))
        out.append(f"<mark>{escape(window[s:e])}</mark>")
        cursor = e
    out.append(escape(window[cursor:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - every piece escaped


def source_diff(old: str, new: str) -> list[dict]:
    """Line changes between two source texts: [{"kind": "added|removed|same", "text": ...}]."""
    lines = []
    for line in difflib.ndiff((old or "").splitlines(), (new or "").splitlines()):
        code, text = line[:2], line[2:]
        if code == "? ":
            continue
        kind = {"+ ": "added", "- ": "removed"}.get(code, "same")
        lines.append({"kind": kind, "text": text})
    return lines
