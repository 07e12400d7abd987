"""The `articles:` section of a city pack: starter articles with their translations.

    articles:
    - slug: first-steps
      category: first_steps          # see mosty.knowledge.models.Category
      audience: newcomers            # newcomers | community | institutions | cities
      source_language: pl
      translations:
        pl: {title: ..., summary: ..., body: "Markdown"}
        en: {title: ..., body: ...}

Loading creates missing articles and languages, published, and never overwrites an article
that exists: once loaded, starter articles are edited like any other.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from mosty.core.citypack import SLUG, pack_section
from mosty.knowledge.models import Audience, Category


def check_articles(checker, value, context) -> list[dict]:
    languages = [code for code, _name in settings.LANGUAGES]
    found, slugs = [], set()
    for i, raw in enumerate(checker.items(value, "articles")):
        path = f"articles[{i}]"
        raw = checker.mapping(raw, path)
        slug = checker.text(raw, "slug", path, max_length=100)
        if slug and not SLUG.match(slug[:50]):
            checker.fail(f"{path}.slug", _("must use only lowercase letters, digits and hyphens"))
        if slug in slugs:
            checker.fail(
                f"{path}.slug", _("'%(code)s' is used by another article") % {"code": slug}
            )
        slugs.add(slug)
        source = raw.get("source_language", "pl")
        checker.language(source, f"{path}.source_language")
        translations = checker.mapping(raw.get("translations"), f"{path}.translations")
        texts = {}
        for code, text in translations.items():
            where = f"{path}.translations.{code}"
            if code not in languages:
                checker.language(code, where)
                continue
            text = checker.mapping(text, where)
            texts[code] = {
                "title": checker.text(text, "title", where),
                "summary": checker.text(text, "summary", where, required=False, max_length=500),
                "body": checker.text(text, "body", where, max_length=100_000),
            }
        if source not in texts:
            checker.fail(
                f"{path}.translations",
                _("must include the source language '%(code)s'") % {"code": source},
            )
        found.append(
            {
                "slug": slug,
                "category": checker.choice(raw, "category", path, list(Category.values)),
                "audience": checker.choice(
                    raw, "audience", path, list(Audience.values), default=Audience.NEWCOMERS
                ),
                "source_language": source,
                "translations": texts,
            }
        )
    return found


def load_articles(articles: list[dict], context) -> None:
    from mosty.knowledge import services
    from mosty.knowledge.models import Article, ArticleTranslation

    for data in articles:
        article = Article.objects.filter(slug=data["slug"]).first()
        source = data["translations"][data["source_language"]]
        if article is None:
            article = services.article_create(
                slug=data["slug"],
                category=data["category"],
                audience=data["audience"],
                source_language=data["source_language"],
                publish=True,
                by=None,
                **source,
            )
        existing = set(article.translations.values_list("language", flat=True))
        for code, text in data["translations"].items():
            if code in existing:
                continue
            t = ArticleTranslation(
                article=article,
                language=code,
                status="published",
                source_revision=article.revision,
                **text,
            )
            services._index(t)
            t.full_clean()
            t.save()


pack_section("articles", check=check_articles, load=load_articles)
