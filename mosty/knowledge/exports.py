"""Files made from the knowledge base: booklet PDFs, offline HTML bundles (XLIFF: xliff.py)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Max
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mosty.core.collation import by_name
from mosty.core.i18n import text_direction
from mosty.core.models import City
from mosty.knowledge.models import (
    ArticleTranslation,
    Booklet,
    BookletExport,
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


def booklet_pdf_download(export: BookletExport) -> FileResponse:
    """A finished booklet PDF as a download under its stored name (the editors' page and the
    participant's "My documents" serve the same file)."""
    return FileResponse(
        export.pdf.open("rb"),
        as_attachment=True,
        filename=(export.pdf.name or "").rsplit("/", 1)[-1],
        content_type="application/pdf",
    )


def offline_bundle(language: str) -> bytes:
    """Every published article in `language` as static pages in a zip: relative links, the
    stylesheet bundled, a client-side search over an embedded index; no server needed."""
    translations = list(
        ArticleTranslation.objects.filter(language=language, status=PUBLISHED)
        .select_related("article")
        .order_by("article__category", *by_name("title"))
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
