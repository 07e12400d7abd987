"""Knowledge base: demo translation work for the demo logins; 2,000 articles in 7 languages at
large scale (docs/architecture.md, Scale), written with bulk_create in batches (the SQLite FTS5 triggers
index them as they land)."""

from django.conf import settings
from django.db import connection, transaction

from mosty.core.seeding import batched, scaled_seeder
from mosty.knowledge.models import (
    Article,
    ArticleRevision,
    ArticleTranslation,
    ArticleViewCount,
    Category,
    TranslationState,
)
from mosty.knowledge.text import search_columns

LANGUAGES = [code for code, _name in settings.LANGUAGES]
BATCH = 200


def _demo(ctx) -> str:
    """Give the demo caseworker (who speaks Ukrainian) translation work, and the demo
    coordinator a starter booklet, so the workflow can be tried right away."""
    from mosty.accounts.models import User
    from mosty.knowledge import services
    from mosty.knowledge.models import Booklet

    coordinator = User.objects.filter(email="coordinator@demo.mosty.local").first()
    translator = (
        User.objects.filter(email="translator@demo.mosty.local").first()
        or User.objects.filter(email="caseworker@demo.mosty.local").first()
    )
    if coordinator is None or translator is None:
        return "demo users missing: run the organisations seeder first"
    assigned = 0
    for article in Article.objects.filter(category__in=["first_steps", "polish", "education"]):
        for language in ("uk", "ar", "fa", "fr"):
            if not ArticleTranslation.objects.filter(article=article, language=language).exists():
                translator_for = translator if language == "uk" else coordinator
                services.translation_assign(
                    article=article, language=language, translator=translator_for, by=coordinator
                )
                assigned += 1
    if not Booklet.objects.exists():
        first_steps = list(
            Article.objects.filter(audience="newcomers").order_by("category", "slug")[:10]
        )
        if first_steps:
            services.booklet_create(
                title="Informator dla nowych mieszkańców", articles=first_steps, by=coordinator
            )
    views = _view_counts(ctx, days=90)
    return f"{assigned} translation tasks assigned, {views:,} daily view counts"


def _view_counts(ctx, *, days: int) -> int:
    """Readers of the public articles over the last `days` days, per language, so the
    "article views per language" figure has something to show. Only published translations
    are read; the source language and Ukrainian most, as in the seed cities."""
    import datetime

    from django.utils import timezone

    if ArticleViewCount.objects.exists():
        return 0
    weight = {"pl": 6, "uk": 5, "ru": 2, "en": 2, "ar": 1, "fa": 1, "fr": 1}
    today = timezone.localdate()
    published = ArticleTranslation.objects.filter(status=TranslationState.PUBLISHED)
    rows = []
    for article_id, language in published.values_list("article_id", "language").iterator():
        for back in range(days):
            if ctx.rng.random() < 0.25:
                rows.append(
                    ArticleViewCount(
                        article_id=article_id,
                        language=language,
                        day=today - datetime.timedelta(days=back),
                        count=1 + ctx.rng.randrange(weight.get(language, 1) * 3),
                    )
                )
    ArticleViewCount.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _large(ctx) -> str:
    total = ctx.size(demo=0, large=2000)
    existing = Article.objects.filter(slug__startswith="seed-").count()
    categories = list(Category.values)
    audiences = ["newcomers", "community", "institutions", "cities"]
    made = 0
    for batch in batched(range(existing, total), BATCH):
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                Article(
                    slug=f"seed-{i + 1}",
                    category=categories[i % len(categories)],
                    audience=audiences[i % len(audiences)],
                    source_language="pl",
                    revision=1 + (i % 3 == 0),
                )
                for i in batch
            )
            if not all(a.pk for a in articles):  # backends without RETURNING
                articles = list(Article.objects.filter(slug__in=[a.slug for a in articles]))
            translations, revisions = [], []
            for article in articles:
                for language in LANGUAGES:
                    fake = ctx.faker(language)
                    title = fake.sentence(nb_words=5).rstrip(".")[:200]
                    summary = fake.sentence(nb_words=14)[:500]
                    body = "\n\n".join(
                        f"## {fake.sentence(nb_words=4)}\n\n{fake.paragraph(nb_sentences=8)}"
                        for _ in range(3)
                    )
                    # Most languages published; some outdated or in progress, as in real life.
                    roll = ctx.rng.random()
                    status = (
                        TranslationState.PUBLISHED
                        if language == "pl" or roll < 0.8
                        else TranslationState.IN_REVIEW
                        if roll < 0.9
                        else TranslationState.DRAFT
                    )
                    source_revision = (
                        article.revision
                        if language == "pl" or ctx.rng.random() < 0.9
                        else max(1, article.revision - 1)
                    )
                    translations.append(
                        ArticleTranslation(
                            article=article,
                            language=language,
                            title=title,
                            summary=summary,
                            body=body,
                            status=status,
                            source_revision=source_revision,
                            **search_columns(title, summary, body),
                        )
                    )
                    if language == "pl":
                        revisions += [
                            ArticleRevision(
                                article=article, number=n, title=title, summary=summary, body=body
                            )
                            for n in range(1, article.revision + 1)
                        ]
            ArticleTranslation.objects.bulk_create(translations, batch_size=500)
            ArticleRevision.objects.bulk_create(revisions, batch_size=500)
        made += len(batch)
        ctx.progress("articles", existing + made, total)
    if made and connection.vendor == "postgresql":
        # Fresh statistics, or the planner ignores the full-text index after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledge_articletranslation")
    views = _view_counts(ctx, days=30)
    return f"{made} articles in {len(LANGUAGES)} languages, {views:,} daily view counts"


seed_knowledge = scaled_seeder("knowledge", order=70, demo=_demo, large=_large)
