"""Reads of the knowledge base, always starting from the access policy's visible_* querysets."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from mosty.access.domains.knowledge import (
    is_editor,
    visible_articles,
    visible_booklet_exports,
    visible_booklets,
    visible_translations,
)
from mosty.core.collation import by_name
from mosty.core.i18n import language_codes
from mosty.knowledge.models import (
    Article,
    ArticleFile,
    ArticleRevision,
    ArticleTranslation,
    Booklet,
    BookletExport,
    BookletItem,
    TranslationState,
)
from mosty.knowledge.text import query_terms, snippet, source_diff

PUBLISHED = TranslationState.PUBLISHED


def published_translations(*, language: str, fetched_by) -> QuerySet[ArticleTranslation]:
    return (
        visible_translations(fetched_by)
        .filter(language=language, status=PUBLISHED)
        .select_related("article")
    )


def article_list_public(
    *, language: str, fetched_by, category: str = "", audience: str = ""
) -> QuerySet[ArticleTranslation]:
    qs = published_translations(language=language, fetched_by=fetched_by)
    if category:
        qs = qs.filter(article__category=category)
    if audience:
        qs = qs.filter(article__audience=audience)
    return qs.order_by("article__category", *by_name("title"))


def category_counts(*, language: str, fetched_by) -> dict[str, int]:
    return dict(
        published_translations(language=language, fetched_by=fetched_by)
        .values_list("article__category")
        .annotate(n=Count("pk"))
        .order_by()
    )


@dataclass
class ArticleReading:
    article: Article
    translation: ArticleTranslation | None
    available: list[ArticleTranslation]


def article_read(*, slug: str, language: str, fetched_by) -> ArticleReading:
    """The article in `language`, or None plus the languages it is published in (404 if none)."""
    article = get_object_or_404(visible_articles(fetched_by), slug=slug)
    # One query for every published language (the page links them all), texts included.
    available = list(
        visible_translations(fetched_by)
        .filter(article=article, status=PUBLISHED)
        .select_related("article")
        .order_by("language")
    )
    if not available:
        raise Http404
    translation = next((t for t in available if t.language == language), None)
    return ArticleReading(article=article, translation=translation, available=available)


# --- search ---------------------------------------------------------------------------------


@dataclass
class SearchHit:
    pk: int
    slug: str
    language: str
    title: str
    snippet: str


HIT_COLUMNS = ("pk", "title", "search_title", "search_text", "search_body", "slug")

# Search reads published translations only, and the policy shows every published translation
# to everyone who asks (`visible_translations`: editors all, translators the published ones and
# their own, visitors the published ones; tests/knowledge/test_search.py holds it to that). So
# the statement does not depend on the caller and is written once, as plain SQL: building it
# through the ORM on every search took three times as long as running it.
_SELECT = (
    "SELECT t.id, t.title, t.search_title, t.search_text, t.search_body, a.slug "
    "FROM knowledge_articletranslation t JOIN knowledge_article a ON a.id = t.article_id "
)
SEARCH_SQL = {
    # FTS5 match ranked by bm25, title weighted 5 to the text's 1; the words are quoted
    # prefixes (`_fts_query`), so no FTS5 syntax comes from the user.
    "sqlite": _SELECT + "JOIN knowledge_search s ON s.rowid = t.id "
    "WHERE knowledge_search MATCH %s AND s.language = %s AND t.language = %s AND t.status = %s "
    "ORDER BY bm25(knowledge_search, 5.0, 1.0), t.id LIMIT %s",
    # The stored, weighted tsvector (title A, text B) and its GIN index.
    "postgresql": _SELECT + ", to_tsquery('simple', %s) q "
    "WHERE t.search_vector @@ q AND t.language = %s AND t.status = %s "
    "ORDER BY ts_rank(t.search_vector, q) DESC, t.id LIMIT %s",
}


def _fts_query(terms: list[str]) -> str:
    # Terms are \w+ only, so quoting them is enough to keep FTS5 syntax out of user input.
    return " ".join(f'"{t}"*' for t in terms)


def _search_rows(language: str, terms: list[str], limit: int) -> list[dict]:
    """The published translations in `language` matching every term, best first."""
    params: list[str | int]
    if connection.vendor == "postgresql":
        params = [" & ".join(f"{t}:*" for t in terms), language, PUBLISHED.value, limit]
    else:
        params = [_fts_query(terms), language, language, PUBLISHED.value, limit]
    with connection.cursor() as cursor:
        cursor.execute(SEARCH_SQL[connection.vendor], params)
        return [dict(zip(HIT_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


@lru_cache(maxsize=1024)
def _rendered(title: str, search_title: str, text: str, search_body: str, terms: tuple):
    """A hit's marked title and snippet: a pure function of the texts and the words, so the
    same article found by the same words (a popular query) is not cut and marked again.
    `search_body` folds `text` character for character, so positions line up."""
    return (
        snippet(title, list(terms), folded=search_title),
        snippet(text, list(terms), folded=search_body),
    )


def article_search(*, language: str, query: str, fetched_by, limit: int = 20) -> list[SearchHit]:
    """Published articles in `language` matching every word of `query` (prefixes, diacritics
    ignored: "Poznan" finds "Poznań"), best first, each with a marked snippet."""
    terms = query_terms(query)
    if not terms:
        return []
    rows = _search_rows(language, terms, limit)
    key = tuple(terms)
    hits = []
    for row in rows:
        title, text = _rendered(
            row["title"],
            row["search_title"],
            row["search_text"],
            row["search_body"],
            key,
        )
        hits.append(
            SearchHit(
                pk=row["pk"],
                slug=row["slug"],
                language=language,
                title=title,
                snippet=text,
            )
        )
    return hits


# --- editing --------------------------------------------------------------------------------


def article_manage_list(*, fetched_by, filters: dict | None = None) -> QuerySet[Article]:
    filters = filters or {}
    qs = visible_articles(fetched_by).prefetch_related(
        Prefetch(
            "translations",
            queryset=ArticleTranslation.objects.only(
                "pk", "article_id", "language", "status", "source_revision", "title"
            ),
        )
    )
    if filters.get("q"):
        qs = qs.filter(
            Q(slug__icontains=filters["q"]) | Q(translations__title__icontains=filters["q"])
        ).distinct()
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("outdated"):
        qs = qs.filter(
            translations__source_revision__lt=F("revision"), translations__status=PUBLISHED
        ).distinct()
    return qs.order_by("category", "slug")


def article_get(*, fetched_by, pk: int) -> Article:
    return get_object_or_404(visible_articles(fetched_by), pk=pk)


def article_source(*, article: Article) -> ArticleTranslation:
    return ArticleTranslation.objects.select_related("article").get(
        article=article, language=article.source_language
    )


def article_translations(*, article: Article) -> list[ArticleTranslation]:
    return list(
        ArticleTranslation.objects.filter(article=article)
        .select_related("translator", "article")
        .order_by("language")
    )


def translation_get(*, fetched_by, article_pk: int, language: str) -> ArticleTranslation:
    return get_object_or_404(
        visible_translations(fetched_by).select_related("article", "translator"),
        article_id=article_pk,
        language=language,
    )


def translation_for_editing(*, fetched_by, article_pk: int, language: str) -> ArticleTranslation:
    """The translation to work on; for an editor, a not-yet-saved one when none exists."""
    found = (
        visible_translations(fetched_by)
        .select_related("article", "translator")
        .filter(article_id=article_pk, language=language)
        .first()
    )
    if found is not None:
        return found
    if not is_editor(fetched_by) or language not in language_codes():
        raise Http404
    article = article_get(fetched_by=fetched_by, pk=article_pk)
    return ArticleTranslation(
        article=article, language=language, status=TranslationState.MISSING, source_revision=0
    )


def translation_source_diff(*, translation: ArticleTranslation) -> list[dict] | None:
    """What changed in the source since the revision this translation was made from."""
    if not translation.is_outdated or translation.source_revision == 0:
        return None
    revisions = {
        r.number: r
        for r in ArticleRevision.objects.filter(
            article=translation.article,
            number__in=[translation.source_revision, translation.article.revision],
        )
    }
    old, new = (
        revisions.get(translation.source_revision),
        revisions.get(translation.article.revision),
    )
    if new is None:
        return None

    def text(r):
        return f"{r.title}\n\n{r.summary}\n\n{r.body}" if r else ""

    return source_diff(text(old), text(new))


def translation_queue(*, user) -> QuerySet[ArticleTranslation]:
    """The translator's open work: not yet published, or published but outdated. Each row
    carries `source_title`, the article's title in its source language (what the translator
    translates from: a task assigned but not started has no title of its own)."""
    # Through a subquery on the translator's rows: most translations have no translator, so
    # SQLite's statistics call that index unselective and it scanned every article instead
    # (43-90 ms on the staff dashboard of the large seed, 0.3 ms this way).
    mine = ArticleTranslation.objects.filter(translator=user).values("pk")
    return (
        ArticleTranslation.objects.filter(pk__in=mine)
        .exclude(language=F("article__source_language"))
        .filter(~Q(status=PUBLISHED) | Q(source_revision__lt=F("article__revision")))
        .select_related("article")
        .annotate(
            source_title=Subquery(
                ArticleTranslation.objects.filter(
                    article=OuterRef("article"), language=OuterRef("article__source_language")
                ).values("title")[:1]
            )
        )
        .order_by("status", "article__slug")
    )


# --- booklets -------------------------------------------------------------------------------


def booklet_list(*, fetched_by) -> QuerySet[Booklet]:
    return (
        visible_booklets(fetched_by)
        .select_related("created_by")
        .annotate(article_count=Count("items"))
        .order_by("-created_at", "-pk")
    )


def booklet_get(*, fetched_by, pk: int) -> Booklet:
    return get_object_or_404(visible_booklets(fetched_by), pk=pk)


def booklet_items(*, booklet: Booklet) -> QuerySet[BookletItem]:
    return (
        BookletItem.objects.filter(booklet=booklet).select_related("article").order_by("position")
    )


def booklet_exports(*, booklet: Booklet) -> QuerySet[BookletExport]:
    return BookletExport.objects.filter(booklet=booklet).order_by("-created_at")[:14]


def booklet_export_get(*, fetched_by, pk: int) -> BookletExport:
    return get_object_or_404(visible_booklet_exports(fetched_by).select_related("booklet"), pk=pk)


def article_files(*, article: Article, language: str | None = None) -> list[ArticleFile]:
    """The files published with an article; with `language`, those in it or in every one."""
    files = ArticleFile.objects.filter(article=article).order_by("pk")
    if language is not None:
        files = files.filter(language__in=["", language])
    return list(files)


def article_file_get(*, fetched_by, slug: str, pk: int) -> ArticleFile:
    """A file of an article the user may read and that is published in some language."""
    published = visible_translations(fetched_by).filter(status=PUBLISHED).values("article_id")
    return get_object_or_404(
        ArticleFile.objects.filter(
            article__in=visible_articles(fetched_by), article_id__in=published
        ).select_related("article"),
        article__slug=slug,
        pk=pk,
    )


def article_file_manage_get(*, fetched_by, pk: int) -> ArticleFile:
    return get_object_or_404(
        ArticleFile.objects.filter(article__in=visible_articles(fetched_by)).select_related(
            "article"
        ),
        pk=pk,
    )
