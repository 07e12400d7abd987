"""Article views per language (issue 17): counted per article, language and day, without an
audit event per anonymous view and without anything about the reader."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from mosty.access import audit as audit_module
from mosty.access.models import AuditEvent
from mosty.core.indicators import INDICATORS, Scope
from mosty.knowledge.models import ArticleViewCount
from tests.knowledge import factories

pytestmark = pytest.mark.django_db


def _read(client, slug, language, **headers):
    with translation.override(language):
        url = reverse("knowledge:article", args=[slug])
    return client.get(url, **headers)


def _year():
    today = timezone.localdate()
    return Scope(start=today - datetime.timedelta(days=30), end=today)


def test_three_views_in_ukrainian_and_one_in_polish(world, client):
    article = factories.article(slug="pesel")
    factories.translation(article, language="uk", title="Номер PESEL")
    before = AuditEvent.objects.count()
    for _ in range(3):
        assert _read(client, "pesel", "uk").status_code == 200
    assert _read(client, "pesel", "pl").status_code == 200
    views = INDICATORS["knowledge.article_views"]
    assert views.split(_year(), "language") == {"pl": 1, "uk": 3}
    assert views.value(_year()) == 4
    assert ArticleViewCount.objects.count() == 2  # one row per language and day
    # Nothing about the readers, and no audit event per view.
    assert not AuditEvent.objects.filter(object_type__icontains="articleviewcount").exists()
    assert AuditEvent.objects.count() == before


def test_crawlers_editors_and_missing_pages_are_not_counted(world, client, login):
    factories.article(slug="pesel")
    _read(client, "pesel", "pl", HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)")
    _read(client, "pesel", "pl", HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)")
    assert _read(client, "missing", "pl").status_code == 404
    editor = login("admin")
    assert _read(editor, "pesel", "pl").status_code == 200
    assert INDICATORS["knowledge.article_views"].value(_year()) == 0


def test_organisations_do_not_claim_the_city_s_readers(world, client):
    factories.article(slug="pesel")
    _read(client, "pesel", "pl")
    scope = _year()
    assert INDICATORS["knowledge.article_views"].value(scope) == 1
    own = Scope(start=scope.start, end=scope.end, organisations=frozenset({world.org_a.pk}))
    assert INDICATORS["knowledge.article_views"].value(own) == 0


def test_every_exemption_from_the_audit_names_a_model_and_a_reason():
    from django.apps import apps

    labels = {m._meta.label_lower for m in apps.get_models()}
    for label, reason in audit_module.NOT_AUDITED.items():
        assert label in labels, label
        assert len(reason) > 10, label
    assert audit_module._is_audited(ArticleViewCount) is False


def test_a_model_missing_from_the_exemptions_is_audited_again(monkeypatch):
    """The exemption is the entry, nothing else: without it the counter's writes would be
    audited like any other model's (so a forgotten model can never slip out silently)."""
    exemptions = {k: v for k, v in audit_module.NOT_AUDITED.items() if "articleviewcount" not in k}
    monkeypatch.setattr(audit_module, "NOT_AUDITED", exemptions)
    assert audit_module._is_audited(ArticleViewCount) is True
