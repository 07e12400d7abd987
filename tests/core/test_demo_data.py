"""The demo a city would believe: local hours, Polish words, plausible names, a login per job."""

import io
import os
import re

import pytest
from django.conf import settings
from django.utils import timezone

from mosty.core.citypack import city_init
from mosty.core.seeding import SeedContext
from mosty.events.models import Session
from mosty.events.seed import seed_events
from mosty.organisations.models import Organisation
from mosty.organisations.seed import DEMO_LABELS, DEMO_USERS, seed_organisations

COMPANY = re.compile(r"s\.c\.|sp\. ?z ?o\.o\.|S\.A\.|sp\.j\.|sp\.k\.|FPUH|PPUH|P\.P\.U\.H", re.I)


@pytest.mark.django_db
def test_demo_events_at_local_hours_and_organisations_with_plausible_names():
    city_init(path=settings.DEMO_PACK)
    ctx = SeedContext(scale="demo", out=io.StringIO())
    seed_organisations(ctx)
    seed_events(ctx)
    names = list(
        Organisation.objects.filter(slug__startswith="seed-").values_list("name", flat=True)
    )
    assert names and not [n for n in names if COMPANY.search(n)], names
    hours = {timezone.localtime(s.starts_at).hour for s in Session.objects.all()}
    assert hours and min(hours) >= 9 and max(hours) <= 19, sorted(hours)


def test_demo_has_a_translator_login():
    emails = {u[0] for u in DEMO_USERS}
    assert "translator@demo.mosty.local" in emails
    assert "translator@demo.mosty.local" in DEMO_LABELS


@pytest.mark.django_db
def test_demo_links_point_at_the_port_it_serves(monkeypatch, settings):
    """`mosty demo --port 8123`: the links in the demo's messages (written while seeding, sent
    by the worker it starts) lead to that server, not to the default port."""
    from django.core.management import call_command

    from mosty.core.management.commands import demo

    monkeypatch.setenv("MOSTY_SITE_URL", "unset")
    monkeypatch.delenv("MOSTY_SITE_URL")
    monkeypatch.setattr(demo.City, "current", classmethod(lambda cls: object()))
    out = io.StringIO()
    call_command("demo", port=8123, no_server=True, stdout=out)
    assert settings.MOSTY_SITE_URL == "http://127.0.0.1:8123"
    assert os.environ["MOSTY_SITE_URL"] == "http://127.0.0.1:8123"


@pytest.mark.django_db
def test_demo_keeps_a_site_address_it_is_given(monkeypatch, settings):
    from django.core.management import call_command

    from mosty.core.management.commands import demo

    settings.MOSTY_SITE_URL = "https://mosty.example.org"
    monkeypatch.setenv("MOSTY_SITE_URL", "https://mosty.example.org")
    monkeypatch.setattr(demo.City, "current", classmethod(lambda cls: object()))
    call_command("demo", port=8123, no_server=True, stdout=io.StringIO())
    assert settings.MOSTY_SITE_URL == "https://mosty.example.org"
