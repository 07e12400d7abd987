from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from mosty.core.citypack import PackInvalid, city_init
from mosty.knowledge import selectors, services
from mosty.knowledge.models import Article, ArticleTranslation
from tests.factories import UserFactory


@pytest.mark.django_db
def test_demo_pack_ships_the_implementation_guide_and_first_steps():
    city_init(path=settings.DEMO_PACK)
    guide = Article.objects.filter(category="implementation", audience="cities")
    assert guide.count() >= 5
    for article in guide:
        assert set(article.translations.values_list("language", flat=True)) >= {"pl", "en"}
    emergency = Article.objects.get(slug="numery-alarmowe")
    assert emergency.translations.filter(status="published").count() == 7
    assert selectors.article_search(language="en", query="patron", fetched_by=None)
    # editable like any article, and loading the pack again keeps the edit
    editor = UserFactory(is_superuser=True)
    services.article_update(
        article=emergency, by=editor, title="Numery alarmowe", summary="", body="112"
    )
    city_init(path=settings.DEMO_PACK)
    emergency.refresh_from_db()
    assert emergency.revision == 2
    assert ArticleTranslation.objects.get(article=emergency, language="pl").body == "112"


@pytest.mark.django_db
def test_bad_articles_section_is_reported_with_paths(tmp_path: Path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "city: {name: X, slug: x}\n"
        "articles:\n"
        "- slug: a\n  category: nope\n  source_language: pl\n"
        "  translations: {en: {title: T, body: B}, xx: {title: T, body: B}}\n",
        encoding="utf-8",
    )
    with translation.override("en"), pytest.raises(PackInvalid) as info:
        city_init(path=pack)
    report = info.value.report()
    assert "articles[0].category" in report
    assert "articles[0].translations.xx" in report
    assert "articles[0].translations" in report and "'pl'" in report
    assert not Article.objects.exists()
