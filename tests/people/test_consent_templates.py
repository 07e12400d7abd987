"""Coordinators keep their organisation's consent texts: add, edit, delete, offered on record."""

import pytest
from django.urls import reverse
from django.utils import translation

from mosty.access.models import AuditEvent
from mosty.people.models import ConsentTemplate
from tests.people.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def test_coordinator_adds_edits_and_deletes_a_text_and_it_is_offered(world, login):
    client = login("coordinator")
    response = client.post(
        _url("people:consent_template_create"),
        {
            "organisation": world.org_a.pk,
            "purpose": "mentoring",
            "language": "uk",
            "text": "Ми передаємо ваше ім’я наставнику.",
        },
    )
    assert response.status_code == 302
    template = ConsentTemplate.objects.get(organisation=world.org_a)
    assert template.updated_by == world.user("coordinator")
    listing = client.get(_url("people:consent_templates")).content.decode()
    assert "Ми передаємо" in listing

    client.post(_url("people:consent_template_edit", template.pk), {"text": "Новий текст."})
    template.refresh_from_db()
    assert template.text == "Новий текст."
    assert AuditEvent.objects.filter(
        object_type="people.consenttemplate", object_id=str(template.pk)
    ).exists()

    participant = ParticipantFactory(owner=world.org_a)
    page = client.get(
        _url("people:consent_record", participant.pk) + "?purpose=mentoring&language=uk"
    )
    assert page.context["form"].initial["text_shown"] == "Новий текст."

    client.post(_url("people:consent_template_delete", template.pk))
    assert not ConsentTemplate.objects.filter(pk=template.pk).exists()


def test_a_second_text_for_the_same_purpose_and_language_is_an_error_beside_the_field(world, login):
    ConsentTemplate.objects.create(
        organisation=world.org_a, purpose="mentoring", language="uk", text="A"
    )
    client = login("coordinator")
    with translation.override("pl"):
        response = client.post(
            reverse("people:consent_template_create"),
            {"organisation": world.org_a.pk, "purpose": "mentoring", "language": "uk", "text": "B"},
        )
    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    assert ConsentTemplate.objects.filter(organisation=world.org_a).count() == 1


def test_another_organisations_coordinator_cannot_touch_the_text(world, login):
    template = ConsentTemplate.objects.create(
        organisation=world.org_a, purpose="mentoring", language="uk", text="A"
    )
    client = login("coordinator", "b")
    assert client.get(_url("people:consent_template_edit", template.pk)).status_code == 404
    assert client.post(_url("people:consent_template_delete", template.pk)).status_code == 404
    assert "A" == ConsentTemplate.objects.get(pk=template.pk).text
    response = client.post(
        _url("people:consent_template_create"),
        {"organisation": world.org_a.pk, "purpose": "publicity", "language": "uk", "text": "X"},
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
