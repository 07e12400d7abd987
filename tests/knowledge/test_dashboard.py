from django.urls import reverse
from django.utils import translation

from mosty.knowledge import services
from tests.knowledge import factories


def test_dashboard_panel_lists_the_translators_queue(world, login):
    article = factories.article(title="Karta pobytu")
    services.translation_assign(
        article=article, language="uk", translator=world.user("mentor"), by=world.user("admin")
    )
    client = login("mentor")
    with translation.override("en"):
        html = client.get(reverse("core:dashboard")).content.decode()
        queue_url = reverse("knowledge:translation_edit", args=[article.pk, "uk"])
    assert "1 translation is waiting for you." in html
    assert queue_url in html
    assert 'href="/en/knowledge/queue/"' in html  # menu item for translators


def test_no_panel_for_people_without_translation_work(world, login):
    client = login("participant")
    with translation.override("en"):
        html = client.get(reverse("core:dashboard")).content.decode()
    assert "kb-dash-heading" not in html
    assert "/en/knowledge/queue/" not in html
    assert "/en/knowledge/" in html  # the public knowledge base is in everyone's menu
