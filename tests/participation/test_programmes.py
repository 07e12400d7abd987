"""Programmes, calls and alerts: what a visitor, an organiser and a subscriber notice."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mosty.access.models import AuditEvent
from mosty.messaging.models import Message
from mosty.participation import services, tasks
from mosty.participation.models import AlertSubscription, Programme
from mosty.participation.tokens import confirm_token
from tests.participation.factories import make_call, make_programme
from tests.utils import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_programme_page_speaks_the_readers_language(client, world):
    programme = make_programme(world.org_a, title="Budżet obywatelski")
    page = client.get(
        reverse("participation:programme_detail", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE="uk"
    )
    assert page.status_code == 200
    uk = client.get(f"/uk/participation/{programme.pk}/").content.decode()
    assert "Budżet obywatelski (uk)" in uk
    fr = client.get(f"/fr/participation/{programme.pk}/").content.decode()
    # No French text: the source language (Polish) is shown.
    assert "Budżet obywatelski" in fr and "(uk)" not in fr


def test_unpublished_programme_is_hidden_from_visitors(client, world, login):
    programme = make_programme(world.org_a, published=False)
    url = reverse("participation:programme_detail", args=[programme.pk])
    assert client.get(url).status_code == 404
    assert login("caseworker").get(url).status_code == 200


def test_calendar_lists_open_calls_by_deadline_not_past_ones(client, world):
    programme = make_programme(world.org_a)
    soon = make_call(programme, title="Nabór wiosenny", days_open=5)
    later = make_call(programme, title="Nabór jesienny", days_open=60)
    make_call(
        programme,
        title="Nabór zamknięty",
        days_open=-3,
        opens=timezone.localdate() - datetime.timedelta(days=30),
    )
    html = client.get(reverse("participation:call_list")).content.decode()
    assert html.index(soon.title) < html.index(later.title)
    assert "Nabór zamknięty" not in html


def test_lists_keep_a_constant_number_of_queries(client, world):
    programme = make_programme(world.org_a)
    make_call(programme)
    assert_constant_queries(
        client, reverse("participation:call_list"), lambda: make_call(programme)
    )
    assert_constant_queries(
        client, reverse("participation:programme_list"), lambda: make_programme(world.org_a)
    )


def test_coordinator_publishes_a_programme_in_two_languages(world, login):
    client = login("coordinator")
    data = {
        "kind": "micro_grants",
        "source_language": "pl",
        "foreigners_may_take_part": "on",
        "official_url": "https://www.example.org/mikrogranty",
        "is_published": "on",
        "tr-TOTAL_FORMS": "2",
        "tr-INITIAL_FORMS": "0",
        "tr-0-language": "pl",
        "tr-0-title": "Mikrogranty",
        "tr-0-summary": "Do 5000 zł na lokalny pomysł.",
        "tr-1-language": "ar",
        "tr-1-title": "منح صغيرة",
        "tr-1-summary": "حتى 5000 زلوتي لفكرة محلية.",
    }
    response = client.post(reverse("participation:programme_create"), data)
    assert response.status_code == 302
    programme = Programme.objects.get(kind="micro_grants")
    assert programme.organisation == world.org_a
    assert set(programme.translations.values_list("language", flat=True)) == {"pl", "ar"}
    assert "منح صغيرة" in client.get(f"/ar/participation/{programme.pk}/").content.decode()


def test_programme_without_source_language_title_is_refused_beside_the_field(world, login):
    client = login("coordinator")
    data = {
        "kind": "micro_grants",
        "source_language": "pl",
        "tr-TOTAL_FORMS": "1",
        "tr-INITIAL_FORMS": "0",
        "tr-0-language": "en",
        "tr-0-title": "Micro-grants",
        "tr-0-summary": "Up to 5000 zł.",
    }
    response = client.post("/en/participation/manage/new/", data)
    assert response.status_code == 200
    assert "at least in the source language" in response.content.decode()
    assert not Programme.objects.exists()


def test_stale_programme_edit_is_a_conflict(world, login):
    programme = make_programme(world.org_a)
    coordinator = world.user("coordinator")
    services.programme_update(
        programme=programme,
        by=coordinator,
        version=programme.version,
        official_url="https://a.example.org",
    )
    with pytest.raises(Exception) as caught:
        services.programme_update(
            programme=programme, by=coordinator, version=1, official_url="https://b.example.org"
        )
    assert caught.value.code == "conflict"
    programme.refresh_from_db()
    assert programme.official_url == "https://a.example.org"


def test_other_organisation_cannot_edit(world):
    programme = make_programme(world.org_a)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.programme_update(
            programme=programme, by=world.user("coordinator", "b"), is_published=False
        )


def _link(body: str, name: str) -> str:
    return re.search(rf"https?://\S+/participation/alerts/{name}/\S+/", body).group(0)


def test_alerts_double_opt_in_then_daily_mail_in_the_subscribers_language(
    client, world, settings, django_capture_on_commit_callbacks
):
    programme = make_programme(world.org_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/uk/participation/alerts/", {"email": "Olena@example.org", "language": "uk"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    confirm = _link(mail.outbox[0].body, "confirm")
    # Before confirming, nothing is sent.
    make_call(programme, title="Nabór 2027")
    assert tasks.call_alerts_send.call() == 0
    # Opening the link only shows a button; the POST confirms.
    path = confirm.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    assert AlertSubscription.objects.get().confirmed_at is None
    client.post(path)
    subscription = AlertSubscription.objects.get()
    assert subscription.confirmed_at is not None
    # A call published after confirmation is announced, in Ukrainian, with an unsubscribe link.
    new_call = make_call(programme, title="Nabór jesienny", days_open=20)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.call_alerts_send.call() == 1
    body = mail.outbox[0].body
    assert "Budżet obywatelski (uk)" in body and "Nabór jesienny" in body
    assert f"/uk/participation/calls/{new_call.pk}/" in body
    # Through the outbox: one message, its values cleared once sent.
    message = Message.objects.get(template="participation_alert")
    assert (message.status, message.channel, message.language) == ("sent", "email", "uk")
    assert message.payload == ""
    # Nothing new since: no mail.
    mail.outbox.clear()
    assert tasks.call_alerts_send.call() == 0
    # Unsubscribing deletes the address.
    stop = _link(body, "stop").split(settings.MOSTY_SITE_URL.rstrip("/"), 1)[1]
    client.post(stop)
    assert not AlertSubscription.objects.exists()


def test_deadline_a_week_away_is_announced_once(world, django_capture_on_commit_callbacks):
    programme = make_programme(world.org_a)
    subscription = AlertSubscription.objects.create(
        email="a@example.org", language="pl", confirmed_at=timezone.now()
    )
    call = make_call(programme, days_open=tasks.DEADLINE_NOTICE_DAYS)
    AlertSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.call_alerts_send.call(today=today.isoformat()) == 1
    assert call.title in mail.outbox[0].body
    assert tasks.call_alerts_send.call(today=(today + datetime.timedelta(days=1)).isoformat()) == 0


def test_subscribing_a_confirmed_address_again_sends_nothing(
    client, world, django_capture_on_commit_callbacks
):
    AlertSubscription.objects.create(
        email="a@example.org", language="pl", confirmed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/pl/participation/alerts/", {"email": "A@example.org", "language": "fr"})
    assert mail.outbox == []
    assert AlertSubscription.objects.get().language == "fr"


def test_bad_alert_input_is_an_error_beside_the_field(client, world):
    response = client.post("/pl/participation/alerts/", {"email": "nie-adres", "language": "xx"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not AlertSubscription.objects.exists()


def test_forged_or_old_confirmation_link_is_404(client, world):
    subscription = AlertSubscription.objects.create(email="a@example.org", language="pl")
    token = confirm_token(subscription)
    assert client.get(f"/pl/participation/alerts/confirm/{token}x/").status_code == 404
    subscription.key = "new"
    subscription.save()
    assert client.get(f"/pl/participation/alerts/confirm/{token}/").status_code == 404


def test_confirmation_is_audited(client, world):
    subscription = AlertSubscription.objects.create(email="a@example.org", language="pl")
    client.post(f"/pl/participation/alerts/confirm/{confirm_token(subscription)}/")
    assert AuditEvent.objects.filter(action="mosty.participation.alert.confirmed").exists()


def test_public_lists_filter_by_kind_and_flag_and_show_the_choice_made(client, world):
    budget = make_programme(world.org_a, title="Budżet obywatelski")
    grants = make_programme(world.org_a, title="Mikrogranty", kind="micro_grants")
    make_call(budget, title="Nabór budżetu")
    make_call(grants, title="Konsultacja grantów", collects_opinions=True)

    html = client.get(
        reverse("participation:programme_list"), {"kind": "micro_grants", "foreigners": "on"}
    ).content.decode()
    assert ">Mikrogranty</a>" in html and ">Budżet obywatelski</a>" not in html
    assert re.search(r'<option value="micro_grants"\s+selected>', html)
    assert re.search(r'name="foreigners" id="[^"]+" checked>', html)

    html = client.get(reverse("participation:call_list"), {"consultations": "on"}).content.decode()
    assert "Konsultacja grantów" in html and "Nabór budżetu" not in html
    assert re.search(r'name="consultations" id="[^"]+" checked>', html)
    assert 'role="search"' in html


def test_foreigners_may_take_part_only_when_someone_says_so(world, login):
    """The box starts unticked: a programme saved without a look at it does not tell
    foreigners publicly that they may take part (it started ticked)."""
    client = login("coordinator")
    form = client.get(reverse("participation:programme_create")).content.decode()
    box = re.search(r'<input[^>]*name="foreigners_may_take_part"[^>]*>', form)
    assert box and "checked" not in box.group(0)
    assert Programme._meta.get_field("foreigners_may_take_part").default is False
