"""Write -> assign -> translate -> publish -> source edit (outdated, diff) -> re-translate."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from mosty.access.policy import can
from mosty.core.models import edit_conflict
from mosty.knowledge import selectors, services
from mosty.knowledge.models import ArticleTranslation, Booklet, TranslationState
from tests.knowledge import factories

LANGS = ["en", "uk", "ru", "ar", "fa", "fr"]


def test_full_cycle_in_all_seven_languages(world, login):
    coordinator = world.user("coordinator")
    translator = world.user("mentor")
    client = login("coordinator")
    response = client.post(
        reverse("knowledge:article_create"),
        {
            "slug": "karta-pobytu",
            "category": "documents",
            "audience": "newcomers",
            "source_language": "pl",
            "title": "Karta pobytu",
            "summary": "Jak złożyć wniosek.",
            "body": "Wniosek składasz w urzędzie wojewódzkim.",
            "publish": "on",
        },
    )
    assert response.status_code == 302
    article = selectors.article_get(
        fetched_by=coordinator, pk=int(response["Location"].split("/")[-2])
    )
    for lang in LANGS:
        r = client.post(
            reverse("knowledge:translation_assign", args=[article.pk]),
            {"language": lang, "translator": translator.email},
        )
        assert r.status_code == 302
    queue = selectors.translation_queue(user=translator)
    assert sorted(t.language for t in queue) == sorted(LANGS)
    assert all(t.status == TranslationState.MISSING for t in queue)

    client.force_login(translator)
    assert client.get(reverse("knowledge:queue")).status_code == 200
    for lang in LANGS:
        url = reverse("knowledge:translation_edit", args=[article.pk, lang])
        assert client.get(url).status_code == 200
        r = client.post(url, {"title": f"Title {lang}", "body": f"Body {lang}", "submit": "1"})
        assert r.status_code == 302
        # a translator cannot publish
        r = client.post(reverse("knowledge:translation_publish", args=[article.pk, lang]))
        assert r.status_code == 403
    client.force_login(coordinator)
    for lang in LANGS:
        r = client.post(reverse("knowledge:translation_publish", args=[article.pk, lang]))
        assert r.status_code == 302
    published = ArticleTranslation.objects.filter(article=article, status="published")
    assert published.count() == 7
    assert not selectors.translation_queue(user=translator).exists()

    # A real edit of the source: every translation becomes outdated, with a diff.
    r = client.post(
        reverse("knowledge:article_edit", args=[article.pk]),
        {
            "category": "documents",
            "audience": "newcomers",
            "title": "Karta pobytu",
            "summary": "Jak złożyć wniosek.",
            "body": "Wniosek składasz w urzędzie wojewódzkim albo przez internet.",
        },
    )
    assert r.status_code == 302
    article.refresh_from_db()
    assert article.revision == 2
    outdated = [t for t in ArticleTranslation.objects.filter(article=article) if t.is_outdated]
    assert sorted(t.language for t in outdated) == sorted(LANGS)
    diff = selectors.translation_source_diff(translation=outdated[0])
    assert {
        "kind": "added",
        "text": "Wniosek składasz w urzędzie wojewódzkim albo przez internet.",
    } in diff
    assert any(line["kind"] == "removed" for line in diff)
    assert len(selectors.translation_queue(user=translator)) == 6

    client.force_login(translator)
    page = client.get(reverse("knowledge:translation_edit", args=[article.pk, "uk"]))
    assert "albo przez internet" in page.content.decode()
    client.post(
        reverse("knowledge:translation_edit", args=[article.pk, "uk"]),
        {"title": "Карта побиту", "body": "Заяву подаєте у воєводському управлінні або онлайн."},
    )
    uk = ArticleTranslation.objects.get(article=article, language="uk")
    assert uk.source_revision == 2 and not uk.is_outdated
    assert uk.status == TranslationState.DRAFT


def test_minor_edit_keeps_translations_current(world):
    article = factories.article()
    en = factories.translation(article)
    services.article_update(
        article=article,
        by=world.user("coordinator"),
        title="Numer PESEL w Poznaniu",
        summary="Jak zdobyć numer PESEL.",
        body="Aby dostać **PESEL**, idź do urzędu w Poznaniu!",
        minor=True,
    )
    article.refresh_from_db()
    en.refresh_from_db()
    assert article.revision == 1
    assert not en.is_outdated


def test_machine_draft_cannot_be_published(world):
    article = factories.article()
    t = factories.translation(article, language="fr", status=TranslationState.MACHINE_DRAFT)
    with pytest.raises(ValidationError):
        services.translation_publish(translation=t, by=world.user("coordinator"))


def test_translation_needs_title_and_text(world, login):
    article = factories.article()
    services.translation_assign(
        article=article, language="en", translator=world.user("mentor"), by=world.user("admin")
    )
    client = login("coordinator")
    r = client.post(reverse("knowledge:translation_edit", args=[article.pk, "en"]), {"title": ""})
    assert r.status_code == 200
    assert r.context["form"].errors["title"] and r.context["form"].errors["body"]


def test_translator_sees_only_assigned_translation(world, login):
    article = factories.article()
    services.translation_assign(
        article=article, language="en", translator=world.user("mentor"), by=world.user("admin")
    )
    client = login("mentor")
    assert (
        client.get(reverse("knowledge:translation_edit", args=[article.pk, "en"])).status_code
        == 200
    )
    client = login("assistant")
    assert (
        client.get(reverse("knowledge:translation_edit", args=[article.pk, "en"])).status_code
        == 404
    )
    assert not can(world.user("assistant"), "knowledge.queue")


def test_assign_unknown_email_is_a_message_not_500(world, login):
    article = factories.article()
    client = login("coordinator")
    with translation.override("en"):
        url = reverse("knowledge:translation_assign", args=[article.pk])
    r = client.post(url, {"language": "en", "translator": "nobody@example.org"}, follow=True)
    assert r.status_code == 200
    assert "No active account" in r.content.decode()
    assert not ArticleTranslation.objects.filter(article=article, language="en").exists()


def test_create_form_errors_are_field_level(world, login):
    factories.article(slug="taken")
    client = login("coordinator")
    r = client.post(
        reverse("knowledge:article_create"),
        {
            "slug": "taken",
            "category": "housing",
            "audience": "newcomers",
            "source_language": "pl",
            "title": "X",
            "body": "Y",
        },
    )
    assert r.status_code == 200
    assert r.context["form"].errors["slug"]


def test_assign_errors_are_shown_beside_the_field(world, login):
    article = factories.article()
    client = login("coordinator")
    with translation.override("en"):
        url = reverse("knowledge:translation_assign", args=[article.pk])
    r = client.post(url, {"language": "en", "translator": "nobody@example.org"})
    assert r.status_code == 200
    assert 'id="id_translator_errors"' in r.content.decode()


def test_booklet_update_renames_and_reorders(world):
    first, second = factories.article(slug="first"), factories.article(slug="second")
    coordinator = world.user("coordinator")
    booklet = services.booklet_create(title="Old", articles=[first, second], by=coordinator)
    services.booklet_update(booklet=booklet, title="New", articles=[second, first], by=coordinator)
    booklet.refresh_from_db()
    assert booklet.title == "New"
    assert [i.article.slug for i in booklet.items.order_by("position")] == ["second", "first"]


def test_booklet_articles_are_picked_and_ordered_and_the_cover_title_translated(world, login):
    first = factories.article(slug="first", title="Numer PESEL")
    second = factories.article(slug="second", title="Szkoła")
    third = factories.article(slug="third", title="Przychodnia")
    client = login("coordinator")
    with translation.override("pl"):
        create_url = reverse("knowledge:booklet_create")
    page = client.get(create_url).content.decode()
    assert "Numer PESEL (first)" in page and "<textarea" not in page
    response = client.post(create_url, {"title": "Start", "add": [second.pk, first.pk]})
    assert response.status_code == 302
    booklet = Booklet.objects.get(title="Start")
    assert [i.article.slug for i in booklet.items.order_by("position")] == ["second", "first"]

    with translation.override("pl"):
        url = reverse("knowledge:booklet_detail", args=[booklet.pk])
    data = {
        "title": "Start",
        "title_uk": "Початок",
        f"position_{second.pk}": "2",
        f"position_{first.pk}": "1",
        "add": [third.pk],
    }
    assert client.post(url, data).status_code == 302
    booklet.refresh_from_db()
    assert [i.article.slug for i in booklet.items.order_by("position")] == [
        "first",
        "second",
        "third",
    ]
    assert booklet.title_in("uk") == "Початок" and booklet.title_in("ar") == "Start"
    data = {"title": "Start", f"position_{first.pk}": "1", f"remove_{first.pk}": "on"}
    data |= {f"position_{second.pk}": "x", f"position_{third.pk}": "3"}
    response = client.post(url, data)
    assert response.status_code == 200  # a bad place is shown beside the field
    assert response.context["form"].errors[f"position_{second.pk}"]
    data[f"position_{second.pk}"] = "2"
    client.post(url, data)
    assert [i.article.slug for i in booklet.items.order_by("position")] == ["second", "third"]
    page = client.get(url).content.decode()
    assert "Szkoła (second)" in page


def test_booklet_pdf_links_have_text(world, login):
    from mosty.knowledge.models import BookletExport

    booklet = services.booklet_create(
        title="B", articles=[factories.article()], by=world.user("coordinator")
    )
    BookletExport.objects.create(booklet=booklet, language="uk")
    with translation.override("pl"):
        url = reverse("knowledge:booklet_detail", args=[booklet.pk])
    page = login("coordinator").get(url).content.decode()
    import re

    links = re.findall(r'<a href="[^"]*/exports/\d+/[^"]*">(.*?)</a>', page)
    assert links and all(text.strip() for text in links)
    assert "ukraińskim" in page or "ukraiński" in page


def test_translation_editor_names_the_source_language_and_shows_its_markdown(world, login):
    article = factories.article(body="## Krok 1\n\nIdź do **urzędu**.")
    client = login("coordinator")
    with translation.override("uk"):
        url = reverse("knowledge:translation_edit", args=[article.pk, "uk"])
    page = client.get(url).content.decode()
    assert "(, " not in page
    assert "польська" in page  # the source language, named in the reader's language
    assert "## Krok 1" in page and "**urzędu**" in page
    with translation.override("pl"):
        detail = reverse("knowledge:article_detail", args=[article.pk])
    page = client.get(detail).content.decode()
    assert "polski" in page


def test_two_editors_of_one_article_the_second_gets_a_conflict(world, login):
    editor = world.user("coordinator")
    article = factories.article(by=editor)
    client = login("coordinator")
    url = reverse("knowledge:article_edit", args=[article.pk])
    shown = client.get(url).context["form"].initial["version"]
    services.article_update(
        article=article, by=editor, version=shown, title="First", summary="", body="Text one."
    )
    data = {"category": "documents", "audience": "newcomers", "title": "Second", "body": "Two."}
    with translation.override("pl"):
        response = client.post(url, {**data, "version": shown})
        assert response.status_code == 200
        assert "Odśwież stronę" in response.content.decode()
    source = selectors.article_source(article=article)
    assert (source.title, source.body) == ("First", "Text one.")
    article.refresh_from_db()
    assert article.revision == 2 and article.updated_by == editor
    assert client.post(url, {**data, "version": shown + 1}).status_code == 302
    assert selectors.article_source(article=article).title == "Second"


def test_two_editors_of_one_booklet_the_second_gets_a_conflict(world):
    coordinator = world.user("coordinator")
    first = factories.article(slug="first", by=coordinator)
    second = factories.article(slug="second", by=coordinator)
    booklet = services.booklet_create(title="Start", articles=[first], by=coordinator)
    shown = booklet.version
    services.booklet_update(
        booklet=booklet, title="Start", articles=[first, second], by=coordinator, version=shown
    )
    with pytest.raises(ValidationError) as conflict:
        services.booklet_update(
            booklet=booklet, title="Renamed", articles=[second], by=coordinator, version=shown
        )
    assert conflict.value.code == "conflict"
    booklet.refresh_from_db()
    assert booklet.title == "Start"
    assert [i.article.slug for i in booklet.items.order_by("position")] == ["first", "second"]


def test_two_tabs_of_one_translation_the_second_save_gets_a_conflict(world, login):
    """The same translation open in two tabs: the first save wins, the second is refused with
    the conflict message and overwrites nothing."""
    article = factories.article()
    services.translation_assign(
        article=article, language="uk", translator=world.user("mentor"), by=world.user("admin")
    )
    client = login("mentor")
    url = reverse("knowledge:translation_edit", args=[article.pk, "uk"])
    first_tab = client.get(url).context["form"].initial["version"]
    second_tab = client.get(url).context["form"].initial["version"]
    data = {"summary": "", "version": first_tab}
    assert client.post(url, {**data, "title": "Перша", "body": "Перший текст."}).status_code == 302
    with translation.override("pl"):
        response = client.post(
            url, {**data, "version": second_tab, "title": "Друга", "body": "Другий текст."}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert escape(edit_conflict().messages[0]) in page
        assert "Someone else changed" not in page  # in the reader's language
    saved = ArticleTranslation.objects.get(article=article, language="uk")
    assert (saved.title, saved.body) == ("Перша", "Перший текст.")
    # Reloaded, the page carries the new version and the save goes through.
    shown = client.get(url).context["form"].initial["version"]
    assert (
        client.post(url, {**data, "version": shown, "title": "Друга", "body": "Б."}).status_code
        == 302
    )
    assert ArticleTranslation.objects.get(pk=saved.pk).title == "Друга"


def test_two_editors_start_the_same_new_translation_the_second_gets_a_conflict(world, login):
    """A language nobody translated yet, opened by two editors: the second save is refused."""
    article = factories.article()
    client = login("coordinator")
    url = reverse("knowledge:translation_edit", args=[article.pk, "fr"])
    shown = client.get(url).context["form"].initial["version"]
    data = {"summary": "", "version": shown}
    assert client.post(url, {**data, "title": "Premier", "body": "Un."}).status_code == 302
    response = client.post(url, {**data, "title": "Second", "body": "Deux."})
    assert response.status_code == 200
    assert ArticleTranslation.objects.get(article=article, language="fr").title == "Premier"


def test_the_translation_api_refuses_a_stale_version(world):
    from rest_framework.test import APIClient

    article = factories.article()
    t = factories.translation(article, language="en")
    client = APIClient()
    client.force_authenticate(world.user("coordinator"))
    url = reverse("api:knowledge_translation_update", args=[article.pk, "en"])
    body = {"title": "New", "body": "Text.", "version": t.version}
    first = client.put(url, body, format="json")
    assert first.status_code == 200 and first.json()["version"] == t.version + 1
    assert client.put(url, {**body, "title": "Later"}, format="json").status_code == 409
    assert ArticleTranslation.objects.get(pk=t.pk).title == "New"


def test_the_translators_queue_names_articles_by_title_and_languages_by_name(world, login):
    """An assigned translation with nothing written yet: the queue shows the article's title in
    its source language (not its address) and the language's name in the reader's language."""
    article = factories.article(title="Numer PESEL w Poznaniu", slug="pesel-poznan")
    services.translation_assign(
        article=article, language="uk", translator=world.user("mentor"), by=world.user("admin")
    )
    client = login("mentor")
    with translation.override("en"):
        page = client.get(reverse("knowledge:queue")).content.decode()
    assert "Numer PESEL w Poznaniu" in page
    assert ">pesel-poznan<" not in page
    assert "Ukrainian" in page
    with translation.override("en"):
        dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert "Numer PESEL w Poznaniu" in dashboard and "Ukrainian" in dashboard
