"""Support to take part and consultations: an idea from draft to result, and a newcomer's
opinion answered by the consultation's organiser."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from mosty.access.models import AuditEvent
from mosty.participation import gdpr, selectors, services
from mosty.participation.models import Idea, SupportEntry
from tests.cases.factories import make_participant
from tests.participation.factories import make_call, make_consultation, make_idea, make_programme
from tests.utils import assert_constant_queries, logged_in

pytestmark = pytest.mark.django_db


def test_idea_goes_from_draft_to_selected_with_a_mentors_support(world, login):
    participant = make_participant(world)
    caseworker = login("caseworker")
    programme = make_programme(world.org_a)
    call = make_call(programme)
    response = caseworker.post(
        reverse("participation:idea_create"),
        {
            "participant": participant.pk,
            "kind": "project",
            "call": call.pk,
            "title": "Kącik językowy w bibliotece",
            "text": "Spotkania po ukraińsku i polsku raz w tygodniu.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    idea = Idea.objects.get()
    assert idea.status == "draft" and idea.participant == participant

    mentor = world.user("mentor")
    login("coordinator").post(
        reverse("participation:idea_assign", args=[idea.pk]), {"supporter": mentor.pk}
    )
    idea.refresh_from_db()
    assert idea.supporter == mentor

    as_mentor = login("mentor")
    page = as_mentor.get(reverse("participation:idea_detail", args=[idea.pk]))
    assert page.status_code == 200 and "Kącik językowy" in page.content.decode()
    today = timezone.localdate()
    as_mentor.post(
        reverse("participation:idea_support", args=[idea.pk]),
        {"date": today.isoformat(), "hours": "1.5", "note": "Budżet i opis"},
    )
    as_mentor.post(
        reverse("participation:idea_support", args=[idea.pk]),
        {"date": today.isoformat(), "hours": "2"},
    )
    as_mentor.post(reverse("participation:idea_submit", args=[idea.pk]))
    idea.refresh_from_db()
    assert idea.status == "submitted" and idea.submitted_at is not None

    caseworker.post(reverse("participation:idea_result", args=[idea.pk]), {"result": "selected"})
    idea.refresh_from_db()
    assert idea.status == "selected"
    assert selectors.idea_support_hours(idea=idea) == sum(
        SupportEntry.objects.values_list("hours", flat=True)
    )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "mosty.participation.idea.assigned",
        "mosty.participation.idea.submitted",
        "mosty.participation.idea.selected",
    } <= actions
    # Results are final: no more support, no withdrawal.
    with pytest.raises(PermissionDenied):
        services.idea_withdraw(idea=idea, by=world.user("coordinator"))


def test_a_mentor_not_assigned_does_not_see_the_idea(world, login):
    idea = make_idea(world)
    url = reverse("participation:idea_detail", args=[idea.pk])
    assert login("mentor").get(url).status_code == 404
    Idea.objects.filter(pk=idea.pk).update(supporter=world.user("mentor"))
    assert login("mentor").get(url).status_code == 200


def test_only_mentors_and_assistants_of_the_organisation_can_be_assigned(world):
    idea = make_idea(world)
    with pytest.raises(ValidationError):
        services.idea_assign(
            idea=idea, supporter=world.user("mentor", "b"), by=world.user("coordinator")
        )
    with pytest.raises(ValidationError):
        services.idea_assign(
            idea=idea, supporter=world.user("caseworker"), by=world.user("coordinator")
        )


def test_bad_support_entry_is_refused_and_nothing_written(world, login):
    idea = make_idea(world)
    client = login("caseworker")
    url = reverse("participation:idea_support", args=[idea.pk])
    client.post(url, {"date": timezone.localdate().isoformat(), "hours": "0"})
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"date": tomorrow.isoformat(), "hours": "1"}, follow=True)
    assert response.status_code == 200
    assert not SupportEntry.objects.exists()


def test_stale_idea_edit_is_a_conflict(world):
    idea = make_idea(world)
    caseworker = world.user("caseworker")
    services.idea_update(idea=idea, by=caseworker, version=1, title="A", text="B")
    with pytest.raises(ValidationError) as caught:
        services.idea_update(idea=idea, by=caseworker, version=1, title="C", text="D")
    assert caught.value.code == "conflict"
    idea.refresh_from_db()
    assert (idea.title, idea.text) == ("A", "B")


def test_newcomer_sends_an_opinion_and_sees_the_authoritys_answer(
    world, login, client, django_capture_on_commit_callbacks
):
    # The consultation belongs to organisation B (the city office); the newcomer is a
    # participant of organisation A.
    programme = make_programme(world.org_b, title="Konsultacje", kind="consultation")
    call = make_call(programme, title="Strategia 2030", collects_opinions=True)
    newcomer = login("participant")
    newcomer.post(
        reverse("participation:idea_create"),
        {"kind": "response", "call": call.pk, "title": "Tłumaczenia", "text": "Więcej tłumaczeń."},
    )
    idea = Idea.objects.get()
    assert idea.author == world.user("participant") and idea.participant is None

    city = Client()
    city.force_login(world.user("coordinator", "b"))
    responses = reverse("participation:call_responses", args=[call.pk])
    # A draft is not handed over.
    assert "Tłumaczenia" not in city.get(responses).content.decode()
    newcomer.post(reverse("participation:idea_submit", args=[idea.pk]))
    assert "Więcej tłumaczeń." in city.get(responses).content.decode()
    # The organiser sees the text, never who the participant is, and cannot open their list.
    assert city.get(reverse("participation:idea_detail", args=[idea.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        city.post(
            reverse("participation:idea_answer", args=[idea.pk]),
            {"answer": "Dodano punkt o tłumaczeniach."},
        )
    # The author is told by mail, in their language, with a link and no text of the answer.
    assert [m.to for m in mail.outbox] == [[world.user("participant").email]]
    assert f"/participation/ideas/{idea.pk}/" in mail.outbox[0].body
    assert "Dodano punkt" not in mail.outbox[0].body
    mine = newcomer.get(reverse("participation:idea_detail", args=[idea.pk])).content.decode()
    assert "Dodano punkt o tłumaczeniach." in mine
    public = client.get(reverse("participation:call_detail", args=[call.pk])).content.decode()
    assert 'id="voice-counts"' in public
    assert selectors.call_voice(call=call) == {"submitted": 1, "answered": 1}
    # The supporting organisation's caseworker cannot answer for the authority.
    with pytest.raises(PermissionDenied):
        services.idea_answer(idea=idea, answer="x", by=world.user("caseworker"))


def test_a_response_needs_a_consultation_and_an_open_one(world):
    participant = make_participant(world)
    call = make_call(make_programme(world.org_a))
    with pytest.raises(ValidationError):
        services.idea_create(
            organisation=world.org_a,
            by=world.user("caseworker"),
            kind="response",
            call=call,
            title="x",
            text="y",
            participant=participant,
        )
    closed = make_consultation(world)
    idea = make_idea(world, kind="response", call=closed)
    closed.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    closed.opens_on = closed.closes_on - datetime.timedelta(days=10)
    closed.save()
    idea.refresh_from_db()
    with pytest.raises(ValidationError):
        services.idea_submit(idea=idea, by=world.user("caseworker"))


def test_staff_cannot_record_an_idea_for_another_organisations_participant(world):
    stranger = make_participant(world, "b")
    with pytest.raises(PermissionDenied):
        services.idea_create(
            organisation=world.org_a,
            by=world.user("coordinator"),
            kind="project",
            title="x",
            text="y",
            participant=stranger,
        )
    assert not Idea.objects.exists()


def test_consultation_documents_are_checked_before_they_are_kept(
    world, login, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call = make_consultation(world)
    coordinator = login("coordinator")
    url = reverse("participation:call_document_add", args=[call.pk])
    bad = coordinator.post(url, {"title": "Skrypt", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.content.decode()
    neither = coordinator.post(url, {"title": "Nic"})
    assert neither.status_code == 200
    coordinator.post(
        url, {"title": "Projekt strategii", "file": SimpleUploadedFile("s.pdf", b"%PDF-1.4")}
    )
    document = call.documents.get()
    download = client.get(reverse("participation:call_document", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4"


def test_idea_list_keeps_a_constant_number_of_queries(world, login):
    client = login("coordinator")
    make_idea(world, supporter=world.user("mentor"), call=make_consultation(world), kind="response")
    assert_constant_queries(
        client,
        reverse("participation:idea_list"),
        lambda: make_idea(
            world, supporter=world.user("mentor"), call=make_consultation(world), kind="response"
        ),
    )


def test_gdpr_export_and_erasure(world):
    idea = make_idea(world, supporter=world.user("mentor"))
    SupportEntry.objects.create(
        idea=idea, given_by=world.user("mentor"), date=timezone.localdate(), hours=2, note="Plan"
    )
    exported = gdpr.export(idea.participant)["ideas"]
    assert exported[0]["title"] == idea.title and exported[0]["support"][0]["note"] == "Plan"
    gdpr.erase(idea.participant)
    idea.refresh_from_db()
    assert (idea.title, idea.text) == ("—", "")
    assert SupportEntry.objects.get().note == "" and SupportEntry.objects.get().hours == 2


def test_figures_count_ideas_and_opinions(world):
    make_idea(world, status="selected")
    make_idea(world, status="rejected")
    make_idea(world)  # a draft counts for nothing
    call = make_consultation(world)
    make_idea(world, kind="response", call=call, status="submitted", answered_at=timezone.now())
    figures = selectors.participation_figures(ideas=Idea.objects.all())
    assert figures["ideas_submitted"] == 2
    assert figures["ideas_selected"] == 1
    assert (figures["opinions_submitted"], figures["opinions_answered"]) == (1, 1)
    assert figures["people"] == 3


def test_idea_list_shows_each_visible_idea_once_newest_first_on_every_page(world):
    """The list counts and sorts the visibility rule's reasons one by one (issue 15): an idea
    seen for two reasons is listed once, and pages agree with the policy."""
    from mosty.access.domains.participation import visible_ideas

    coordinator = world.user("coordinator", "b")
    consultation = make_call(
        make_programme(world.org_b, kind="consultation"), collects_opinions=True
    )

    def idea(organisation, **kw):
        made = make_idea(world, **kw)
        Idea.objects.filter(pk=made.pk).update(organisation=organisation)
        return made

    shown = [
        idea(world.org_b),  # their organisation's
        idea(world.org_a, supporter=coordinator),  # given to them
        idea(world.org_b, supporter=coordinator),  # both: listed once
        idea(world.org_a, kind="response", call=consultation, status="submitted"),  # answers them
    ]
    idea(world.org_a, kind="response", call=consultation)  # a draft answer: not theirs yet
    idea(world.org_a)  # another organisation's
    base = timezone.now()
    for age, made in enumerate(shown):
        Idea.objects.filter(pk=made.pk).update(created_at=base - datetime.timedelta(hours=age))

    rows = selectors.idea_list(fetched_by=coordinator)
    assert rows.count() == len(rows) == 4
    assert [i.pk for i in rows[0:10]] == [i.pk for i in shown]
    assert [i.pk for i in rows[1:3]] == [shown[1].pk, shown[2].pk]
    assert {i.pk for i in rows[0:10]} == set(
        visible_ideas(coordinator).values_list("pk", flat=True)
    )
    submitted = selectors.idea_list(fetched_by=coordinator, filters={"status": "submitted"})
    assert submitted.count() == 1 and submitted[0:5][0].pk == shown[3].pk


@pytest.mark.parametrize("action", ["idea_withdraw", "idea_submit", "idea_support", "idea_edit"])
def test_an_idea_closed_in_another_tab_is_explained_not_refused(world, login, action):
    """The idea was withdrawn in a second tab (or its result recorded): the button or form
    still shown in the first tab brings the user to the idea with its status, not a 403."""
    idea = make_idea(world, status="submitted")
    client = login("caseworker")
    client.post(reverse("participation:idea_withdraw", args=[idea.pk]))
    idea.refresh_from_db()
    assert idea.status == "withdrawn"

    data = {"date": timezone.localdate().isoformat(), "hours": "1", "title": "T", "text": "X"}
    response = client.post(reverse(f"participation:{action}", args=[idea.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("participation:idea_detail", args=[idea.pk])
    page = client.get(response.url).content.decode()
    with translation.override("pl"):
        told = gettext("The idea’s status is “%(status)s”: it cannot change that way.") % {
            "status": pgettext("idea", "Withdrawn")
        }
    assert escape(told) in page
    idea.refresh_from_db()
    assert idea.status == "withdrawn" and idea.title != "T"
    assert not SupportEntry.objects.exists()


def test_bad_support_entry_is_shown_beside_its_field_as_typed(world, login):
    idea = make_idea(world)
    client = login("caseworker")
    url = reverse("participation:idea_support", args=[idea.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"date": tomorrow.isoformat(), "hours": "1.5", "note": "Budżet"})
    assert response.status_code == 200
    form = response.context["support_form"]
    with translation.override("pl"):
        assert form.errors["date"] == [gettext("Support cannot be logged for a future day.")]
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and "\nBudżet</textarea>" in page

    response = client.post(url, {"date": tomorrow.isoformat(), "hours": "0"})
    assert response.status_code == 200
    assert "hours" in response.context["support_form"].errors
    assert not SupportEntry.objects.exists()


def test_the_same_new_idea_saved_twice_is_one_draft(world, login):
    """A double tap on Save, or the form sent again from a second tab: one draft, and the
    second post lands on it too."""
    call = make_consultation(world)
    newcomer = login("participant")
    data = {"kind": "response", "call": call.pk, "title": "Tłumaczenia", "text": "Więcej."}
    first = newcomer.post(reverse("participation:idea_create"), data)
    second = logged_in(world.user("participant")).post(reverse("participation:idea_create"), data)
    idea = Idea.objects.get()
    assert first.url == second.url == reverse("participation:idea_detail", args=[idea.pk])

    # Another text is another idea; so is the same one once the first was submitted.
    newcomer.post(reverse("participation:idea_create"), {**data, "text": "Więcej, proszę."})
    newcomer.post(reverse("participation:idea_submit", args=[idea.pk]))
    newcomer.post(reverse("participation:idea_create"), data)
    assert Idea.objects.count() == 3


def test_a_response_answered_in_another_tab_keeps_its_first_answer(
    world, django_capture_on_commit_callbacks
):
    """The organiser answers the same response from two tabs (or two colleagues at once):
    the first answer stays, the author is mailed once, the second is told why it was not
    saved."""
    programme = make_programme(world.org_b, title="Konsultacje", kind="consultation")
    call = make_call(programme, title="Strategia 2030", collects_opinions=True)
    newcomer = logged_in(world.user("participant"))
    newcomer.post(
        reverse("participation:idea_create"),
        {"kind": "response", "call": call.pk, "title": "Tłumaczenia", "text": "Więcej."},
    )
    idea = Idea.objects.get()
    newcomer.post(reverse("participation:idea_submit", args=[idea.pk]))
    first_tab = logged_in(world.user("coordinator", "b"))
    second_tab = logged_in(world.user("coordinator", "b"))
    url = reverse("participation:idea_answer", args=[idea.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first_tab.post(url, {"answer": "Uwzględniono."})
        response = second_tab.post(url, {"answer": "Odrzucono."}, follow=True)
    idea.refresh_from_db()
    assert idea.answer == "Uwzględniono."
    assert len(mail.outbox) == 1
    with translation.override("pl"):
        told = gettext(
            "This response has already been answered; the answer recorded first is kept."
        )
    assert told in [str(m) for m in response.context["messages"]]


def test_the_status_of_each_idea_is_beside_its_title(world, login):
    """On a phone the list scrolls sideways: what happened to an idea is the column next to
    its title, not the last one."""
    idea = make_idea(world, status="submitted")
    html = login("participant").get(reverse("participation:idea_list")).content.decode()
    author = login("caseworker").get(reverse("participation:idea_list")).content.decode()
    for page in (html, author):
        head = re.search(r"<thead>(.*?)</thead>", page, re.S)
        assert head is not None
        headers = re.findall(r'<th scope="col">(.*?)</th>', head.group(1))
        with translation.override("pl"):
            assert headers[:2] == [gettext("Title"), gettext("Status")]
    row = re.search(rf'href="/pl/participation/ideas/{idea.pk}/".*?</tr>', author, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
    with translation.override("pl"):
        assert cells[0] == pgettext("idea", "Submitted")
