"""XLIFF for the knowledge base: what a translation agency's CAT tool reads and writes.

Exports are XLIFF 1.2 (valid against the OASIS *strict* schema) or XLIFF 2.1 (core + the
Metadata module), one `<file>` per article with a unit for each of title, summary and body.
Published translations of the current source revision go out as approved (1.2) / final (2.1),
so CAT tools count them as translated.

Import reads both versions. Segmented targets (`<mrk mtype="seg">` in 1.2, several
`<segment>`s in 2.x) are joined back into one text. Inline markup is either kept exactly or
refused with a message naming the article, the field and the element — never dropped:

- `mrk` (and 2.x `sm`/`em`) only annotate text: the text is kept;
- 1.2 `ph`, `bpt`, `ept`, `it` carry the native code (here: Markdown) as content: it is put
  back into the text; 2.x `ph`, `pc`, `sc`, `ec` likewise through their `originalData`;
- codes whose native data Mosty cannot know (1.2 `g`, `x`, `bx`, `ex`; 2.x codes without
  `dataRef`) are refused: Mosty's sources carry no such codes, so they would have to be
  invented or silently dropped.

Parsing goes through defusedxml: no DTDs, no entities, no external references.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mosty.knowledge.models import Article, ArticleTranslation, TranslationState

XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Exports made before the 1.2 files became schema-valid carried the revision here.
LEGACY_MOSTY_NS = "https://mosty.example/xliff"
FIELDS = ("title", "summary", "body")
VERSIONS = ("1.2", "2.1")
PUBLISHED = TranslationState.PUBLISHED


# --- export ---------------------------------------------------------------------------------


def _with_texts(
    articles: list[Article], language: str
) -> Iterator[tuple[Article, ArticleTranslation, ArticleTranslation | None]]:
    """Each article that has its source text, with that text and the `language` translation
    (None when there is none yet), read in one query."""
    texts = {
        (t.article_id, t.language): t
        for t in ArticleTranslation.objects.filter(article_id__in=[a.pk for a in articles])
    }
    for article in articles:
        source = texts.get((article.pk, article.source_language))
        if source is not None:
            yield article, source, texts.get((article.pk, language))


def _is_final(translation: ArticleTranslation | None, article: Article) -> bool:
    """Published and made from the current source revision: a CAT tool may count it done."""
    return (
        translation is not None
        and translation.status == PUBLISHED
        and translation.source_revision >= article.revision
    )


def _state_12(translation: ArticleTranslation, article: Article) -> dict[str, str]:
    if _is_final(translation, article):
        return {"state": "final"}
    if translation.status == TranslationState.MACHINE_DRAFT:
        return {"state": "needs-review-translation", "state-qualifier": "mt-suggestion"}
    return {"state": "needs-review-translation"}


def _state_2(translation: ArticleTranslation, article: Article) -> str:
    if _is_final(translation, article):
        return "final"
    if translation.status in (TranslationState.IN_REVIEW, PUBLISHED):
        return "translated"
    return "initial"


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    ).encode()


def xliff_export(articles: list[Article], language: str, *, version: str = "1.2") -> bytes:
    """The articles' title, summary and body with the current `language` translation (if
    any) as target. The source revision travels in `build-num` (1.2) or as Metadata (2.1)."""
    if version == "2.1":
        return _export_2(articles, language)
    return _export_12(articles, language)


def _export_12(articles: list[Article], language: str) -> bytes:
    ns = XLIFF12_NS
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}xliff", {"version": "1.2"})
    for article, source, target in _with_texts(articles, language):
        file_el = ET.SubElement(
            root,
            f"{{{ns}}}file",
            {
                "original": article.slug,
                "source-language": article.source_language,
                "target-language": language,
                "datatype": "x-markdown",
                "product-name": "Mosty",
                # The source revision the file was made from: a translation of an older
                # revision stays marked outdated when it comes back.
                "build-num": str(article.revision),
            },
        )
        body = ET.SubElement(file_el, f"{{{ns}}}body")
        for name in FIELDS:
            attrs = {"id": name, "resname": name, f"{{{XML_NS}}}space": "preserve"}
            text = getattr(target, name) if target is not None else ""
            if text and _is_final(target, article):
                attrs["approved"] = "yes"
            unit = ET.SubElement(body, f"{{{ns}}}trans-unit", attrs)
            ET.SubElement(unit, f"{{{ns}}}source").text = getattr(source, name)
            if text:
                ET.SubElement(unit, f"{{{ns}}}target", _state_12(target, article)).text = text
    return _serialise(root)


def _export_2(articles: list[Article], language: str) -> bytes:
    ns = XLIFF2_NS
    sources = sorted({a.source_language for a in articles})
    if len(sources) > 1:
        raise ValidationError(
            _(
                "An XLIFF 2 file holds one source language; these articles are written in "
                "%(languages)s. Export one source language at a time or use XLIFF 1.2."
            )
            % {"languages": ", ".join(sources)}
        )
    ET.register_namespace("", ns)
    ET.register_namespace("mda", MDA_NS)
    root = ET.Element(
        f"{{{ns}}}xliff",
        {"version": "2.1", "srcLang": sources[0] if sources else "pl", "trgLang": language},
    )
    for article, source, target in _with_texts(articles, language):
        file_el = ET.SubElement(
            root, f"{{{ns}}}file", {"id": f"a{article.pk}", "original": article.slug}
        )
        metadata = ET.SubElement(file_el, f"{{{MDA_NS}}}metadata")
        group = ET.SubElement(metadata, f"{{{MDA_NS}}}metaGroup", {"category": "mosty"})
        ET.SubElement(group, f"{{{MDA_NS}}}meta", {"type": "revision"}).text = str(article.revision)
        for name in FIELDS:
            unit = ET.SubElement(file_el, f"{{{ns}}}unit", {"id": name, "name": name})
            text = getattr(target, name) if target is not None else ""
            segment = ET.SubElement(
                unit,
                f"{{{ns}}}segment",
                {"state": _state_2(target, article)} if text else {},
            )
            ET.SubElement(
                segment, f"{{{ns}}}source", {f"{{{XML_NS}}}space": "preserve"}
            ).text = getattr(source, name)
            if text:
                ET.SubElement(
                    segment, f"{{{ns}}}target", {f"{{{XML_NS}}}space": "preserve"}
                ).text = text
    return _serialise(root)


# --- import ---------------------------------------------------------------------------------


@dataclass
class XliffArticle:
    """One article of an imported file: the fields that carry a translation, nothing else."""

    position: int
    slug: str
    language: str
    revision: int | None
    texts: dict[str, str] = field(default_factory=dict)


class _Refused(Exception):
    def __init__(self, element: str):
        self.element = element


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _inline_12(element: ET.Element) -> str:
    """The text of a 1.2 <target> (or <mrk>), inline elements resolved as the module says."""
    parts = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name == "mrk":
            parts.append(_inline_12(child))
        elif name in ("ph", "bpt", "ept", "it"):
            if len(child):  # a <sub> inside the native code: text Mosty cannot place
                raise _Refused(_local(child[0].tag))
            parts.append(child.text or "")
        else:
            raise _Refused(name)
        parts.append(child.tail or "")
    return "".join(parts)


def _inline_2(element: ET.Element, data: dict[str, str]) -> str:
    """The text of a 2.x <target>, codes resolved through the unit's <originalData>."""
    parts = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name == "mrk":
            parts.append(_inline_2(child, data))
        elif name in ("sm", "em"):
            pass  # the start / end of an annotation: no text of its own
        elif name == "cp":
            try:
                parts.append(chr(int(child.get("hex", ""), 16)))
            except ValueError:
                raise _Refused(name) from None
        elif name in ("ph", "sc", "ec"):
            if child.get("dataRef") not in data:
                raise _Refused(name)
            parts.append(data[child.get("dataRef")])
        elif name == "pc":
            start, end = child.get("dataRefStart"), child.get("dataRefEnd")
            if start not in data or end not in data:
                raise _Refused(name)
            parts.extend([data[start], _inline_2(child, data), data[end]])
        else:
            raise _Refused(name)
        parts.append(child.tail or "")
    return "".join(parts)


def _refusal(entry: XliffArticle, name: str, element: str) -> ValidationError:
    return ValidationError(
        _(
            "Article %(n)d in the file (%(slug)s), unit “%(field)s”: the translation "
            "contains the "
            "inline code <%(element)s>, which Mosty cannot store without losing it. Remove "
            "the code in your translation tool (write formatting as Markdown) and export the "
            "file again."
        )
        % {"n": entry.position, "slug": entry.slug, "field": name, "element": element}
    )


def _read_12(root: ET.Element) -> list[XliffArticle]:
    ns = f"{{{XLIFF12_NS}}}"
    found = []
    for position, file_el in enumerate(root.findall(f"{ns}file"), start=1):
        revision = file_el.get("build-num") or file_el.get(f"{{{LEGACY_MOSTY_NS}}}revision")
        entry = XliffArticle(
            position=position,
            slug=file_el.get("original", ""),
            language=file_el.get("target-language", ""),
            revision=int(revision) if revision and revision.isdigit() else None,
        )
        for unit in file_el.iter(f"{ns}trans-unit"):
            name = unit.get("id")
            target = unit.find(f"{ns}target")
            if name not in FIELDS or target is None:
                continue
            try:
                text = _inline_12(target)
            except _Refused as refused:
                raise _refusal(entry, name, refused.element) from None
            if text.strip():
                entry.texts[name] = text
        found.append(entry)
    return found


def _unit_text_2(unit: ET.Element, entry: XliffArticle, name: str) -> str | None:
    """The unit's target text, segments and ignorables in order; None when untranslated."""
    ns = f"{{{XLIFF2_NS}}}"
    data = {d.get("id"): d.text or "" for d in unit.iter(f"{ns}data")}
    parts, translated, untranslated = [], 0, 0
    for part in unit:
        kind = _local(part.tag)
        if kind not in ("segment", "ignorable"):
            continue
        target = part.find(f"{ns}target")
        if target is None:
            if kind == "segment":
                untranslated += 1
            source = part.find(f"{ns}source")
            parts.append(_inline_2(source, data) if source is not None else "")
            continue
        if kind == "segment":
            translated += 1
        parts.append(_inline_2(target, data))
    if not translated:
        return None
    if untranslated:
        raise ValidationError(
            _(
                "Article %(n)d in the file (%(slug)s), unit “%(field)s”: %(missing)d of "
                "%(total)d "
                "segments have no translation. Translate every segment or leave the field "
                "out."
            )
            % {
                "n": entry.position,
                "slug": entry.slug,
                "field": name,
                "missing": untranslated,
                "total": translated + untranslated,
            }
        )
    return "".join(parts)


def _read_2(root: ET.Element) -> list[XliffArticle]:
    ns = f"{{{XLIFF2_NS}}}"
    found = []
    for position, file_el in enumerate(root.findall(f"{ns}file"), start=1):
        revision = None
        for meta in file_el.iter(f"{{{MDA_NS}}}meta"):
            if meta.get("type") == "revision" and (meta.text or "").strip().isdigit():
                revision = int(meta.text.strip())
        entry = XliffArticle(
            position=position,
            slug=file_el.get("original", ""),
            language=root.get("trgLang", ""),
            revision=revision,
        )
        for unit in file_el.iter(f"{ns}unit"):
            name = unit.get("name") if unit.get("name") in FIELDS else unit.get("id")
            if name not in FIELDS:
                continue
            try:
                text = _unit_text_2(unit, entry, name)
            except _Refused as refused:
                raise _refusal(entry, name, refused.element) from None
            if text is not None and text.strip():
                entry.texts[name] = text
        found.append(entry)
    return found


def xliff_parse(data: bytes) -> list[XliffArticle]:
    """The articles of an XLIFF 1.2 or 2.x file; raises ValidationError with a readable
    message on anything else."""
    try:
        root = safe_fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ValidationError(_("The file must not contain a document type declaration.")) from None
    except ET.ParseError as exc:
        raise ValidationError(
            _("This is not a valid XLIFF file: %(error)s") % {"error": exc}
        ) from None
    if root.tag == f"{{{XLIFF12_NS}}}xliff" and root.get("version") == "1.2":
        found = _read_12(root)
    elif root.tag == f"{{{XLIFF2_NS}}}xliff" and (root.get("version") or "").startswith("2."):
        found = _read_2(root)
    else:
        raise ValidationError(_("This is not an XLIFF 1.2 or 2.1 file."))
    if not found:
        raise ValidationError(_("The file holds no articles."))
    duplicates = [k for k, n in Counter((e.slug, e.language) for e in found).items() if n > 1]
    if duplicates:
        raise ValidationError(
            _("The file holds the article %(slug)s in %(language)s more than once.")
            % {"slug": duplicates[0][0], "language": duplicates[0][1]}
        )
    return found
