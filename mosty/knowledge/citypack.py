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

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from mosty.core.citypack import (
    SLUG,
    Checker,
    language_schema,
    optional,
    pack_section,
    text_schema,
)
from mosty.knowledge.models import Audience, Category


def articles_schema() -> dict[str, Any]:
    translation = {
        "type": "object",
        "required": ["title", "body"],
        "properties": {
            "title": text_schema(),
            "summary": optional(text_schema(500)),
            "body": text_schema(100_000),
        },
    }
    return {
        "type": ["array", "null"],
        "items": {
            "type": "object",
            "required": ["slug", "category", "translations"],
            "properties": {
                "slug": text_schema(100),
                "category": {"enum": list(Category.values)},
                "audience": {"enum": list(Audience.values)},
                "source_language": language_schema(),
                "translations": {"type": "object", "additionalProperties": translation},
            },
        },
    }


def check_articles(checker: Checker, value: Any, context: dict[str, Any]) -> list[dict[str, Any]]:
    """What the schema cannot say: slugs once each, known languages, the source text present."""
    languages = [code for code, _name in settings.LANGUAGES]
    found, slugs = [], set()
    rows = value if isinstance(value, list) else []
    for i, raw in enumerate(rows):
        if not isinstance(raw, dict):
            continue
        path = f"articles[{i}]"
        slug = str(raw.get("slug") or "").strip()
        if slug and not SLUG.match(slug[:50]):
            checker.fail(f"{path}.slug", _("must use only lowercase letters, digits and hyphens"))
        if slug and slug in slugs:
            checker.fail(
                f"{path}.slug", _("'%(code)s' is used by another article") % {"code": slug}
            )
        slugs.add(slug)
        source = raw.get("source_language", "pl")
        translations = raw.get("translations")
        translations = translations if isinstance(translations, dict) else {}
        texts = {}
        for code, text in translations.items():
            if code not in languages:
                checker.fail(
                    f"{path}.translations.{code}",
                    _("'%(value)s' is not one of the shipped languages: %(codes)s")
                    % {"value": code, "codes": ", ".join(languages)},
                )
            elif isinstance(text, dict):
                texts[code] = {
                    key: str(text.get(key) or "").strip() for key in ("title", "summary", "body")
                }
        if source not in texts and source in languages:
            checker.fail(
                f"{path}.translations",
                _("must include the source language '%(code)s'") % {"code": source},
            )
        found.append(
            {
                "slug": slug,
                "category": raw.get("category"),
                "audience": raw.get("audience", Audience.NEWCOMERS),
                "source_language": source,
                "translations": texts,
            }
        )
    return found


def load_articles(articles: list[dict[str, Any]], context: dict[str, Any]) -> None:
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


pack_section("articles", schema=articles_schema, check=check_articles, load=load_articles)
