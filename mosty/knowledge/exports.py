"""Files made from the knowledge base: booklet PDFs, offline HTML bundles, XLIFF 1.2."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from xml.etree import ElementTree as ET

from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mosty.core.i18n import language_codes, text_direction
from mosty.core.models import City
from mosty.knowledge.models import (
    Article,
    ArticleTranslation,
    Booklet,
    Category,
    TranslationState,
)
from mosty.knowledge.text import render_markdown

PUBLISHED = TranslationState.PUBLISHED


# --- booklet PDF ----------------------------------------------------------------------------


def booklet_chapters(booklet: Booklet, language: str) -> list[dict]:
    """The booklet's articles in `language`, falling back to the source text where the
    translation is not published (marked, so the reader knows)."""
    items = list(booklet.items.select_related("article").order_by("position"))
    article_ids = [i.article_id for i in items]
    translations: dict[tuple[int, str], ArticleTranslation] = {
        (t.article_id, t.language): t
        for t in ArticleTranslation.objects.filter(article_id__in=article_ids, status=PUBLISHED)
    }
    chapters = []
    for item in items:
        t = translations.get((item.article_id, language)) or translations.get(
            (item.article_id, item.article.source_language)
        )
        if t is None:
            continue
        chapters.append(
            {
                "title": t.title,
                "summary": t.summary,
                "language": t.language,
                "dir": text_direction(t.language),
                "fallback": t.language != language,
                "body": t.body,
            }
        )
    return chapters


def booklet_pdf(
    booklet: Booklet, language: str, progress: Callable[[int], None] | None = None
) -> bytes:
    from weasyprint import HTML

    progress = progress or (lambda _p: None)
    with translation.override(language):
        chapters = booklet_chapters(booklet, language)
        total = max(len(chapters), 1)
        for i, chapter in enumerate(chapters, start=1):
            chapter["html"] = render_markdown(chapter.pop("body"))
            progress(10 + 50 * i // total)
        html = render_to_string(
            "knowledge/booklet_pdf.html",
            {
                "booklet": booklet,
                "title": booklet.title_in(language),
                "chapters": chapters,
                "language": language,
                "dir": text_direction(language),
                "city": City.current(),
                "generated": timezone.localdate(),
            },
        )
    progress(65)
    pdf = HTML(string=html).write_pdf()
    progress(95)
    return pdf


# --- offline bundle -------------------------------------------------------------------------


def offline_bundle(language: str) -> bytes:
    """Every published article in `language` as static pages in a zip: relative links, the
    stylesheet bundled, a client-side search over an embedded index; no server needed."""
    translations = list(
        ArticleTranslation.objects.filter(language=language, status=PUBLISHED)
        .select_related("article")
        .order_by("article__category", "title")
    )
    city = City.current()
    buffer = io.BytesIO()
    categories = dict(Category.choices)
    with translation.override(language), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        css_path = finders.find("vendor/bootstrap/bootstrap.min.css")
        if text_direction(language) == "rtl":
            css_path = finders.find("vendor/bootstrap/bootstrap.rtl.min.css") or css_path
        if css_path:
            with open(css_path, "rb") as css:
                z.writestr("assets/bootstrap.css", css.read())
        groups: dict[str, list] = {}
        for t in translations:
            groups.setdefault(t.article.category, []).append(t)
        base = {
            "language": language,
            "dir": text_direction(language),
            "city": city,
            "generated": timezone.localdate(),
        }
        index = render_to_string(
            "knowledge/offline/index.html",
            {
                **base,
                "groups": [(categories[c], items) for c, items in groups.items()],
                "search_index": [
                    {
                        "f": f"articles/{t.article.slug}.html",
                        "t": t.title,
                        "s": t.summary,
                    }
                    for t in translations
                ],
            },
        )
        z.writestr("index.html", index)
        for t in translations:
            page = render_to_string(
                "knowledge/offline/article.html",
                {
                    **base,
                    "translation": t,
                    "category": categories[t.article.category],
                    "body": render_markdown(t.body),
                },
            )
            z.writestr(f"articles/{t.article.slug}.html", page)
    return buffer.getvalue()


def offline_bundle_stored(language: str) -> str:
    """The storage name of the offline bundle for `language`, built only when a published
    translation in it changed since the last one."""
    state = ArticleTranslation.objects.filter(language=language, status=PUBLISHED).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    stamp = hashlib.sha256(f"{state['n']}:{state['last']}".encode()).hexdigest()[:16]
    name = f"knowledge/offline/mosty-knowledge-{language}-{stamp}.zip"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(offline_bundle(language)))
    return name


# --- XLIFF 1.2 ------------------------------------------------------------------------------

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
MOSTY_NS = "https://mosty.example/xliff"
FIELDS = ("title", "summary", "body")


def xliff_export(articles: list[Article], language: str) -> bytes:
    """One <file> per article; trans-units for title, summary and body with the current
    translation (if any) as target. The source revision travels in `mosty:revision`."""
    ET.register_namespace("", XLIFF_NS)
    ET.register_namespace("mosty", MOSTY_NS)
    root = ET.Element(f"{{{XLIFF_NS}}}xliff", {"version": "1.2"})
    pks = [a.pk for a in articles]
    texts = {
        (t.article_id, t.language): t for t in ArticleTranslation.objects.filter(article_id__in=pks)
    }
    for article in articles:
        source = texts.get((article.pk, article.source_language))
        if source is None:
            continue
        target = texts.get((article.pk, language))
        file_el = ET.SubElement(
            root,
            f"{{{XLIFF_NS}}}file",
            {
                "original": article.slug,
                "source-language": article.source_language,
                "target-language": language,
                "datatype": "x-markdown",
                f"{{{MOSTY_NS}}}revision": str(article.revision),
            },
        )
        body = ET.SubElement(file_el, f"{{{XLIFF_NS}}}body")
        for field in FIELDS:
            unit = ET.SubElement(
                body, f"{{{XLIFF_NS}}}trans-unit", {"id": field, "xml:space": "preserve"}
            )
            ET.SubElement(unit, f"{{{XLIFF_NS}}}source").text = getattr(source, field)
            if target is not None and getattr(target, field):
                state = "final" if target.status == PUBLISHED else "needs-review-translation"
                ET.SubElement(unit, f"{{{XLIFF_NS}}}target", {"state": state}).text = getattr(
                    target, field
                )
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
    ).encode()


def xliff_parse(data: bytes) -> list[dict]:
    """[{slug, language, revision, title, summary, body}] from an XLIFF 1.2 file; raises
    ValidationError with a readable message on anything else."""
    if b"<!DOCTYPE" in data[:2000] or b"<!ENTITY" in data:
        raise ValidationError(_("The file must not contain a document type declaration."))
    try:
        root = ET.fromstring(data)  # noqa: S314 - DTDs refused above, so no entity expansion
    except ET.ParseError as exc:
        raise ValidationError(_("This is not a valid XLIFF file: %(error)s") % {"error": exc})
    if root.tag != f"{{{XLIFF_NS}}}xliff" or root.get("version") != "1.2":
        raise ValidationError(_("This is not an XLIFF 1.2 file."))
    found = []
    for file_el in root.findall(f"{{{XLIFF_NS}}}file"):
        entry = {
            "slug": file_el.get("original", ""),
            "language": file_el.get("target-language", ""),
            "revision": file_el.get(f"{{{MOSTY_NS}}}revision"),
        }
        for unit in file_el.iter(f"{{{XLIFF_NS}}}trans-unit"):
            target = unit.find(f"{{{XLIFF_NS}}}target")
            if unit.get("id") in FIELDS:
                entry[unit.get("id")] = (target.text or "") if target is not None else ""
        found.append(entry)
    if not found:
        raise ValidationError(_("The file holds no articles."))
    return found


@transaction.atomic
def xliff_import(data: bytes, *, by) -> list[ArticleTranslation]:
    """Import an agency's translations, all or nothing. They land *in review*; a translation
    made from an older source revision stays outdated."""
    from mosty.knowledge.services import _index, _translation_for

    entries = xliff_parse(data)
    articles = Article.objects.in_bulk([e["slug"] for e in entries], field_name="slug")
    imported = []
    for n, entry in enumerate(entries, start=1):
        article = articles.get(entry["slug"])
        if article is None:
            raise ValidationError(
                _("Article %(n)d in the file (%(slug)s) does not exist here.")
                % {"n": n, "slug": entry["slug"]}
            )
        if entry["language"] not in language_codes():
            raise ValidationError(
                _("Article %(n)d in the file has an unknown target language.") % {"n": n}
            )
        if not (entry.get("title") or "").strip() or not (entry.get("body") or "").strip():
            continue  # nothing translated for this article yet
        try:
            revision = int(entry["revision"] or article.revision)
        except ValueError:
            revision = article.revision
        translation_row = _translation_for(article, entry["language"])
        translation_row.title = entry["title"][:200]
        translation_row.summary = (entry.get("summary") or "")[:500]
        translation_row.body = entry["body"]
        translation_row.status = TranslationState.IN_REVIEW
        translation_row.machine_translated = False
        translation_row.source_revision = min(revision, article.revision)
        _index(translation_row)
        translation_row.full_clean()
        translation_row.save()
        imported.append(translation_row)
    return imported
