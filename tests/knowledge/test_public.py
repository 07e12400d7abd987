"""Reading, search and the public API."""

import random

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from mosty.knowledge import selectors, services
from mosty.knowledge.models import TranslationState
from tests.knowledge import factories
from tests.utils import assert_constant_queries


def test_article_in_visitors_language(world, client):
    article = factories.article(slug="pesel")
    factories.translation(article, language="en")
    with translation.override("en"):
        page = client.get(reverse("knowledge:article", args=["pesel"]))
    html = page.content.decode()
    assert "PESEL number in Poznań" in html
    assert "<strong>PESEL</strong>" in html


def test_missing_language_says_so_in_that_language_and_links_others(world, client):
    article = factories.article(slug="pesel")
    factories.translation(article, language="en")
    with translation.override("fr"):
        url = reverse("knowledge:article", args=["pesel"])
    html = client.get(url).content.decode()
    assert 'lang="fr"' in html
    assert "/pl/knowledge/a/pesel/" in html and "/en/knowledge/a/pesel/" in html
    assert "PESEL number in Poznań" in html  # the other language's title, as a link label


def test_unpublished_article_is_404_for_the_public(world, client):
    factories.article(slug="draft", publish=False)
    with translation.override("pl"):
        assert client.get(reverse("knowledge:article", args=["draft"])).status_code == 404


def test_markdown_is_sanitised(world, client):
    factories.article(
        slug="xss",
        body="Hello <script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    with translation.override("pl"):
        html = client.get(reverse("knowledge:article", args=["xss"])).content.decode()
    assert "<script>alert" not in html
    assert "javascript:alert" not in html
    assert "onerror" not in html


def test_search_ignores_diacritics_and_marks_snippets(world):
    factories.article(slug="pesel")
    factories.article(slug="other", title="Szkoła", body="Zapisy do szkoły podstawowej.")
    hits = selectors.article_search(language="pl", query="Poznan", fetched_by=world.user("mentor"))
    assert [h.slug for h in hits] == ["pesel"]
    assert "<mark>Poznaniu</mark>" in hits[0].snippet
    assert "PESEL, idź" in hits[0].snippet
    assert selectors.article_search(language="pl", query="szkola", fetched_by=None)


def test_search_only_in_language_and_only_published(world):
    article = factories.article(slug="pesel")
    factories.translation(article, language="en", status=TranslationState.DRAFT)
    assert not selectors.article_search(language="en", query="PESEL", fetched_by=None)
    services.translation_publish(
        translation=article.translations.get(language="en"), by=world.user("admin")
    )
    assert len(selectors.article_search(language="en", query="pesel", fetched_by=None)) == 1
    assert selectors.article_search(language="uk", query="pesel", fetched_by=None) == []


def test_every_caller_sees_every_published_translation_so_search_is_one_statement(world):
    """`article_search` runs one fixed statement over the published translations (no
    per-caller filter): that is only right while the policy shows all of them to everyone."""
    from mosty.access.domains.knowledge import visible_translations

    article = factories.article(slug="pesel")
    factories.translation(article, language="en")
    factories.translation(
        article, language="uk", status=TranslationState.DRAFT, translator=world.user("mentor")
    )
    published = set(
        article.translations.filter(status=TranslationState.PUBLISHED).values_list("pk", flat=True)
    )
    callers = [None, world.user("mentor"), world.user("caseworker"), world.user("admin")]
    for caller in callers:
        seen = visible_translations(caller).filter(status=TranslationState.PUBLISHED)
        assert set(seen.values_list("pk", flat=True)) == published, caller
        hits = selectors.article_search(language="en", query="pesel", fetched_by=caller)
        assert [h.slug for h in hits] == ["pesel"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers are SQLite's")
def test_the_search_triggers_survive_the_migrations(db):
    """A migration that rebuilds the translations table on SQLite drops its triggers; it must
    create them again (mosty/knowledge/search_index.py)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'knowledge_articletranslation'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {"knowledge_search_ai", "knowledge_search_au", "knowledge_search_ad"}


def test_search_index_follows_edits(world):
    article = factories.article(slug="pesel")
    services.article_update(
        article=article, by=world.user("admin"), title="Meldunek", summary="", body="Zameldowanie."
    )
    assert not selectors.article_search(language="pl", query="pesel", fetched_by=None)
    assert selectors.article_search(language="pl", query="zameldowanie", fetched_by=None)


def test_search_survives_fts_syntax(world, client):
    factories.article()
    for query in ['"', "AND OR NOT", "*", "pesel) OR (", "NEAR(", "ł"]:
        with translation.override("pl"):
            r = client.get(reverse("knowledge:search"), {"q": query})
        assert r.status_code == 200


def test_search_page(world, client):
    factories.article(slug="pesel")
    with translation.override("pl"):
        html = client.get(reverse("knowledge:search"), {"q": "urzedu"}).content.decode()
    assert "<mark>urzędu</mark>" in html


def test_public_pages_constant_queries(world, client):
    factories.translation(factories.article(), language="en")
    with translation.override("en"):
        for url in (reverse("knowledge:index"), reverse("knowledge:category", args=["documents"])):

            def grow():
                factories.translation(factories.article(), language="en")

            assert_constant_queries(client, url, grow, times=5)
        assert_constant_queries(
            client,
            reverse("knowledge:search") + "?q=pesel",
            lambda: factories.translation(factories.article(), language="en"),
            times=5,
        )


def test_manage_and_queue_constant_queries(world, login):
    client = login("coordinator")
    translator = world.user("coordinator")
    factories.translation(factories.article(), language="en", translator=translator, status="draft")
    with translation.override("en"):

        def grow():
            a = factories.article()
            factories.translation(a, language="en", translator=translator, status="draft")

        assert_constant_queries(client, reverse("knowledge:manage"), grow, times=5)
        assert_constant_queries(client, reverse("knowledge:queue"), grow, times=5)
        article = factories.article()
        assert_constant_queries(
            client,
            reverse("knowledge:article_detail", args=[article.pk]),
            lambda: services.translation_assign(
                article=article,
                language=["en", "uk", "ru", "ar", "fa", "fr"][article.translations.count() - 1],
                translator=translator,
                by=translator,
            ),
            times=5,
        )


def test_api_public_list_detail_search(world, client):
    article = factories.article(slug="pesel")
    factories.translation(article, language="en")
    r = client.get("/api/knowledge/articles/", {"language": "en"})
    assert r.status_code == 200
    assert r.json()["results"][0]["title"] == "PESEL number in Poznań"
    r = client.get("/api/knowledge/articles/pesel/", {"language": "fr"})
    assert r.json()["translation"] is None
    assert r.json()["available_languages"] == ["en", "pl"]
    r = client.get("/api/knowledge/search/", {"language": "en", "q": "poznan"})
    assert r.json()["results"][0]["slug"] == "pesel"
    assert client.get("/api/knowledge/articles/", {"language": "xx"}).status_code == 400


def test_api_lists_titles_in_polish_order(world, client):
    """Within a category the API lists titles in the city's alphabet, as the pages do: "Łódź"
    between "Lublin" and "Mazowsze", not after "Zielona"."""
    titles = ["Lublin: urzędy", "Łódź: urzędy", "Mazowsze: urzędy", "Zielona Góra: urzędy"]
    for i, title in enumerate(random.Random(3).sample(titles, len(titles))):
        factories.article(slug=f"miasto-{i}", title=title)
    response = client.get(reverse("api:knowledge_article_list"), {"language": "pl"})
    assert [row["title"] for row in response.json()["results"]] == titles


def test_api_editing(world, login):
    client = login("coordinator")
    r = client.post(
        "/api/knowledge/manage/new/",
        {"slug": "bad slug!", "category": "nope"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "slug" in r.json() and "category" in r.json()
    r = client.post(
        "/api/knowledge/manage/new/",
        {
            "slug": "praca",
            "category": "work",
            "audience": "newcomers",
            "source_language": "pl",
            "title": "Praca",
            "body": "Urząd pracy pomaga.",
            "publish": True,
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    from mosty.knowledge.models import Article

    article = Article.objects.get(slug="praca")
    r = client.put(
        f"/api/knowledge/manage/{article.pk}/translations/en/",
        {"title": "Work", "body": "The labour office helps.", "submit": True},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "in_review"
    r = client.post(f"/api/knowledge/manage/{article.pk}/translations/en/publish/")
    assert r.status_code == 200 and r.json()["status"] == "published"
    r = client.put(
        f"/api/knowledge/manage/{article.pk}/",
        {"title": "Praca", "body": "Urząd pracy pomaga znaleźć pracę."},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["revision"] == 2
    rows = client.get(f"/api/knowledge/manage/{article.pk}/translations/").json()["results"]
    assert {row["language"]: row["outdated"] for row in rows} == {"en": True, "pl": False}
    # the same publish of a machine draft is refused with JSON 400
    en = article.translations.get(language="en")
    en.status = "machine_draft"
    en.save(update_fields=["status"])
    r = client.post(f"/api/knowledge/manage/{article.pk}/translations/en/publish/")
    assert r.status_code == 400 and r.json()


def test_article_links_to_related_events_and_services(world, client):
    factories.article(slug="kurs", category="polish", title="Kursy polskiego", body="Zapisy.")
    with translation.override("pl"):
        html = client.get(reverse("knowledge:article", args=["kurs"])).content.decode()
        events = reverse("events:list")
        services_url = reverse("directory:list")
    assert f'href="{events}?language=pl&amp;kind=language_course"' in html
    assert f'href="{services_url}"' in html
    assert "data-kb-print" in html


def test_publish_does_not_redirect_elsewhere(world, login):
    article = factories.article()
    factories.translation(article, language="en", status="in_review")
    client = login("coordinator")
    with translation.override("en"):
        url = reverse("knowledge:translation_publish", args=[article.pk, "en"])
    r = client.post(url, {"next": "https://evil.example/"})
    assert r.status_code == 302 and "evil" not in r["Location"]


def test_booklet_and_article_pages_constant_queries(world, login):
    from mosty.knowledge.models import BookletItem

    client = login("coordinator")
    first = factories.article()
    booklet = services.booklet_create(title="B", articles=[first], by=world.user("coordinator"))
    with translation.override("en"):
        assert_constant_queries(
            client,
            reverse("knowledge:booklet_list"),
            lambda: services.booklet_create(title="C", articles=[first], by=None),
            times=5,
        )

        def grow_items():
            BookletItem.objects.create(
                booklet=booklet,
                article=factories.article(),
                position=BookletItem.objects.count() + 1,
            )

        assert_constant_queries(
            client, reverse("knowledge:booklet_detail", args=[booklet.pk]), grow_items, times=5
        )
        languages = iter(["en", "uk", "ru", "ar", "fa", "fr"])
        assert_constant_queries(
            client,
            reverse("knowledge:article", args=[first.slug]),
            lambda: factories.translation(first, language=next(languages)),
            times=5,
        )
