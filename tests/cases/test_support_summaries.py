"""Psychological and legal support summaries follow the restricted-note rule: the author and
holders of the sensitive-data grant read them; the rest of the case team sees only that the
session took place."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from mosty.access.domains.cases import visible_support_logs
from mosty.access.policy import can
from mosty.accounts.models import Grant
from mosty.cases.models import SupportLog
from tests.cases.factories import make_case
from tests.factories import grant

SUMMARIES = {
    "psychological": "Panic attacks at night since the journey.",
    "legal": "Appeal against the refusal of international protection.",
    "material": "Winter coat and shoes for the children.",
    "other": "Helped to fill in the school form.",
}


@pytest.fixture
def case_with_support(world):
    lead = world.user("caseworker")
    coordinator = world.user("coordinator")
    case = make_case(world, lead=lead, members=[coordinator])
    for kind, summary in SUMMARIES.items():
        SupportLog.objects.create(
            case=case,
            kind=kind,
            happened_on=dt.date(2026, 11, 2),
            minutes=50,
            summary=summary,
            by=lead,
        )
    return case


def _page(user, case) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def _api(user, case) -> dict:
    client = Client()
    client.force_login(user)
    rows = client.get(reverse("api:case_support", args=[case.pk])).json()
    return {row["kind"]: (row["summary"], row["summary_restricted"]) for row in rows}


def test_team_member_sees_sessions_but_not_sensitive_summaries(world, case_with_support):
    coordinator = world.user("coordinator")
    page = _page(coordinator, case_with_support)
    assert SUMMARIES["material"] in page and SUMMARIES["other"] in page
    assert SUMMARIES["psychological"] not in page and SUMMARIES["legal"] not in page
    # The sessions are listed, their summaries marked restricted (the page's language).
    assert page.count(f'<span class="text-danger">{gettext("restricted")}</span>') == 2
    assert _api(coordinator, case_with_support) == {
        "psychological": ("", True),
        "legal": ("", True),
        "material": (SUMMARIES["material"], False),
        "other": (SUMMARIES["other"], False),
    }


def test_author_and_sensitive_grant_read_every_summary(world, case_with_support):
    coordinator = grant(world.user("coordinator"), Grant.VIEW_SENSITIVE, world.org_a)
    for user in (world.user("caseworker"), coordinator):
        page = _page(user, case_with_support)
        assert all(summary in page for summary in SUMMARIES.values())
        assert {kind: summary for kind, (summary, _r) in _api(user, case_with_support).items()} == (
            SUMMARIES
        )


def test_policy_rule_and_list_agree(world, case_with_support):
    """The list's annotation is the `support.view_summary` rule, for every user and session."""
    coordinator = world.user("coordinator")
    for user in (world.user("caseworker"), coordinator):
        for log in visible_support_logs(user, case_with_support):
            assert can(user, "support.view_summary", log) is not log.summary_restricted
    psychological = SupportLog.objects.get(kind="psychological")
    assert not can(world.user("coordinator", "b"), "support.view_summary", psychological)
