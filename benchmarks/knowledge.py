"""Knowledge-base search and booklet PDF at the seeded scale.

Run `mosty seed --scale large` first (2,000 articles in 7 languages) for the yardstick figures.

- search p95 in every language: `article_search` (query parsing, access policy, FTS,
  fetching rows, snippets) against the bare full-text query of the same selection: the same
  index (SQLite FTS5 MATCH ranked by bm25 with the same column weights / PostgreSQL stored
  tsvector @@ to_tsquery ranked by ts_rank), the same filters (language, published) and the
  same columns a result shows (title, summary, text, the article's slug), 20 rows;
- booklet PDF: a 50-article booklet through the whole pipeline (Markdown, sanitising,
  template, WeasyPrint) against WeasyPrint alone on the same articles' text as bare HTML.
"""

import time

from django.db import connection, transaction

from mosty.core.benchmarking import BenchResult, benchmark, p95, timed_pair

REPEAT = 100
LANGUAGES = ["pl", "en", "uk", "ru", "ar", "fa", "fr"]


class _Rollback(Exception):
    pass


def _ensure_articles():
    from mosty.knowledge.models import Article

    if Article.objects.count() < 60:
        from benchmarks.foundation import _ensure_demo_data
        from mosty.core.seeding import SeedContext
        from mosty.knowledge.seed import _large

        _ensure_demo_data()
        ctx = SeedContext(scale="large")
        ctx.size = lambda demo, large: 200  # enough for a meaningful run without a large seed
        _large(ctx)


def _queries(language: str) -> list[str]:
    """Words that occur in the seeded texts: the first word of a few titles."""
    from mosty.knowledge.models import ArticleTranslation

    titles = ArticleTranslation.objects.filter(language=language, status="published").values_list(
        "title", flat=True
    )[:400:40]
    return [t.split()[0] for t in titles if t.split()]


def _bare(language: str, query: str) -> list:
    from mosty.knowledge.text import query_terms

    terms = query_terms(query)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.id, t.title, t.search_title, t.search_text, t.search_body, a.slug "
                "FROM knowledge_articletranslation t "
                "JOIN knowledge_article a ON a.id = t.article_id "
                "WHERE t.language = %s AND t.status = 'published' "
                "AND t.search_vector @@ to_tsquery('simple', %s) "
                "ORDER BY ts_rank(t.search_vector, to_tsquery('simple', %s)) DESC, t.id LIMIT 20",
                [language, *[" & ".join(f"{t}:*" for t in terms)] * 2],
            )
        else:
            cursor.execute(
                "SELECT t.id, t.title, t.search_title, t.search_text, t.search_body, a.slug "
                "FROM knowledge_search s "
                "JOIN knowledge_articletranslation t ON t.id = s.rowid "
                "JOIN knowledge_article a ON a.id = t.article_id "
                "WHERE knowledge_search MATCH %s AND s.language = %s AND t.status = 'published' "
                "ORDER BY bm25(knowledge_search, 5.0, 1.0), t.id LIMIT 20",
                [" ".join(f'"{t}"*' for t in terms), language],
            )
        return cursor.fetchall()


def _measure(language: str, queries: list[str]) -> tuple[float, float]:
    from mosty.knowledge.selectors import article_search

    ours, bare = timed_pair(
        lambda query: article_search(language=language, query=query, fetched_by=None),
        lambda query: _bare(language, query),
        queries,
        repeat=REPEAT,
    )
    return p95(ours), p95(bare)


def _search() -> list[BenchResult]:
    from mosty.knowledge.models import ArticleTranslation

    results = []
    total = ArticleTranslation.objects.count()
    for language in LANGUAGES:
        queries = _queries(language)
        if not queries:
            continue
        value, baseline = _measure(language, queries)
        results.append(
            BenchResult(
                "knowledge",
                f"search p95 ({language}, {total:,} translations)",
                value,
                baseline,
                goal="<= 1.5x bare full-text query",
            )
        )
    return results


def _booklet() -> list[BenchResult]:
    from weasyprint import HTML

    from mosty.knowledge import services
    from mosty.knowledge.exports import booklet_chapters, booklet_pdf
    from mosty.knowledge.models import Article

    articles = list(Article.objects.filter(translations__language="pl").distinct()[:50])
    results = []
    try:
        with transaction.atomic():
            booklet = services.booklet_create(title="Benchmark", articles=articles, by=None)
            started = time.perf_counter()
            booklet_pdf(booklet, "pl")
            value = (time.perf_counter() - started) * 1000
            chapters = booklet_chapters(booklet, "pl")
            bare_html = "".join(f"<h2>{c['title']}</h2><pre>{c['body']}</pre>" for c in chapters)
            started = time.perf_counter()
            HTML(string=f"<html><body>{bare_html}</body></html>").write_pdf()
            baseline = (time.perf_counter() - started) * 1000
            results.append(
                BenchResult(
                    "knowledge",
                    f"booklet PDF, {len(articles)} articles",
                    round(value, 1),
                    round(baseline, 1),
                    goal="report (bare: WeasyPrint on the same text)",
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    return results


@benchmark("knowledge")
def knowledge() -> list[BenchResult]:
    _ensure_articles()
    return _search() + _booklet()
