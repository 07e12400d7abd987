import io

import pytest
from django.conf import settings

from mosty.core.citypack import city_init
from mosty.core.seeding import SeedContext
from mosty.knowledge import selectors
from mosty.knowledge.models import Article, ArticleTranslation, Booklet
from mosty.knowledge.seed import seed_knowledge
from mosty.organisations.seed import demo_users_create


@pytest.mark.django_db
def test_seed_demo_and_a_small_large_run(monkeypatch):
    city_init(path=settings.DEMO_PACK)
    demo_users_create()
    ctx = SeedContext(scale="large", out=io.StringIO())
    monkeypatch.setattr(ctx, "size", lambda demo, large: 4)
    seed_knowledge(ctx)
    assert Booklet.objects.count() == 1
    assert ArticleTranslation.objects.filter(
        translator__email="translator@demo.mosty.local", language="uk"
    ).exists()
    seeded = Article.objects.filter(slug__startswith="seed-")
    assert seeded.count() == 4
    assert ArticleTranslation.objects.filter(article__in=seeded).count() == 4 * 7
    title = ArticleTranslation.objects.filter(article__in=seeded, language="pl").first().title
    assert selectors.article_search(language="pl", query=title, fetched_by=None)
    seed_knowledge(ctx)  # idempotent
    assert Article.objects.filter(slug__startswith="seed-").count() == 4
