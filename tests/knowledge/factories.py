from mosty.knowledge import services
from mosty.knowledge.models import Article, ArticleTranslation, TranslationState

_counter = {"n": 0}


def article(
    *,
    title: str = "Numer PESEL w Poznaniu",
    body: str = "Aby dostać **PESEL**, idź do urzędu w Poznaniu.",
    summary: str = "Jak zdobyć numer PESEL.",
    language: str = "pl",
    category: str = "documents",
    publish: bool = True,
    slug: str | None = None,
    by=None,
) -> Article:
    _counter["n"] += 1
    return services.article_create(
        slug=slug or f"article-{_counter['n']}",
        category=category,
        audience="newcomers",
        source_language=language,
        title=title,
        summary=summary,
        body=body,
        publish=publish,
        by=by,
    )


def translation(
    source: Article,
    *,
    language: str = "en",
    title: str = "PESEL number in Poznań",
    body: str = "To get a **PESEL** number go to the office in Poznań.",
    summary: str = "How to get a PESEL number.",
    status: str = TranslationState.PUBLISHED,
    translator=None,
) -> ArticleTranslation:
    t = ArticleTranslation(
        article=source,
        language=language,
        title=title,
        summary=summary,
        body=body,
        status=status,
        source_revision=source.revision,
        translator=translator,
    )
    services._index(t)
    t.save()
    return t
