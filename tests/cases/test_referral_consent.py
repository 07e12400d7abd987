"""A referral follows the participant's consent to referrals, and the case's being open."""

import pytest
from django.urls import reverse
from django.utils import translation

from mosty.access.models import AuditEvent
from mosty.people.models import Consent
from tests.cases.factories import make_case, make_participant, make_referral


@pytest.fixture(autouse=True)
def _english():
    """Pages in English (reverse() answers /en/ addresses), so the test reads their words."""
    with translation.override("en"):
        yield


def _withdraw_referral_consent(client, participant):
    consent = Consent.objects.get(participant=participant, purpose="referral")
    return client.post(reverse("people:consent_withdraw", args=[consent.pk]), follow=True)


def test_withdrawing_consent_withdraws_open_referrals_and_hides_shared_data(world, login):
    participant = make_participant(world, languages=[{"code": "ar", "level": "native"}])
    case = make_case(world, participant=participant)
    shared = ("first_name", "last_name", "contact", "languages")
    sent = [make_referral(case, to=world.org_b, shared_fields=shared) for _ in range(2)]
    accepted = make_referral(case, to=world.org_b, status="accepted", shared_fields=shared)

    page = _withdraw_referral_consent(login("caseworker"), participant).content.decode()
    assert "2 open referrals were withdrawn." in page

    partner = login("coordinator", "b")
    for referral in sent:
        referral.refresh_from_db()
        assert referral.status == "withdrawn"
        url = reverse("cases:referral_detail", args=[referral.pk])
        page = partner.get(url).content.decode()
        assert participant.first_name not in page and participant.phone not in page
        assert "Accept" not in page
        assert "withdrew their consent to referrals" in page
        assert "Partner's comment" not in page and "Partner&#x27;s comment" not in page
        partner.post(reverse("cases:referral_accept", args=[referral.pk]), {"comment": ""})
        page = partner.get(url).content.decode()
        assert participant.first_name not in page and participant.phone not in page
        referral.refresh_from_db()
        assert referral.status == "withdrawn"
        assert AuditEvent.objects.filter(
            action="mosty.case.referral.withdrawn", object_id=str(referral.pk)
        ).exists()
    # A referral the partner already accepted is not open: it is left as it is.
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


def test_withdrawing_another_consent_leaves_referrals(world, login):
    participant = make_participant(world, consents=("case_management", "referral", "mentoring"))
    referral = make_referral(make_case(world, participant=participant), to=world.org_b)
    consent = Consent.objects.get(participant=participant, purpose="mentoring")
    page = login("caseworker").post(
        reverse("people:consent_withdraw", args=[consent.pk]), follow=True
    )
    assert "Consent withdrawn." in page.content.decode()
    assert "open referral" not in page.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_partner_cannot_accept_without_consent(world, login):
    """However the consent went (the participant's own portal, say), accepting needs it."""
    participant = make_participant(world)
    referral = make_referral(make_case(world, participant=participant), to=world.org_b)
    Consent.objects.filter(participant=participant, purpose="referral").delete()
    partner = login("coordinator", "b")
    response = partner.post(
        reverse("cases:referral_accept", args=[referral.pk]), {"comment": ""}, follow=True
    )
    assert "withdrawn their consent to referrals" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert participant.first_name not in response.content.decode()


def test_referral_on_a_closed_case_cannot_be_accepted(world, login):
    case = make_case(world, status="closed")
    referral = make_referral(case, to=world.org_b)
    partner = login("coordinator", "b")
    url = reverse("cases:referral_detail", args=[referral.pk])
    assert "Accept" not in partner.get(url).content.decode()
    partner.post(reverse("cases:referral_accept", args=[referral.pk]), {"comment": ""})
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert case.participant.first_name not in partner.get(url).content.decode()
