"""Groups that organise themselves, policy consultation by a group, cooperative milestones."""

import contextlib
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mosty.access.policy import can
from mosty.participation import selectors, services
from mosty.participation.models import (
    Group,
    GroupMeeting,
    GroupMember,
    OpinionPoint,
    PolicyDocument,
    SectionComment,
)
from tests.cases.factories import make_case, make_participant
from tests.participation.factories import (
    make_consultation,
    make_group,
    make_idea,
    make_policy_document,
)
from tests.utils import assert_constant_queries, logged_in

pytestmark = pytest.mark.django_db


def test_a_leader_runs_the_group_without_staff_rights(world):
    leader = world.user("participant")  # a newcomer with an account leads the group
    group = make_group(world, leader=leader, public=False)
    client = logged_in(leader)
    member = world.user("participant", "b")
    response = client.post(
        reverse("participation:group_member_add", args=[group.pk]),
        {"email": member.email, "role": "member", "starts_on": "2026-01-01"},
    )
    assert response.status_code == 302
    assert group.members.filter(user=member).exists()
    client.post(
        reverse("participation:group_meeting_add", args=[group.pk]),
        {"date": "2026-02-01", "place": "Biblioteka", "decisions": "Piszemy opinię."},
    )
    page = client.get(reverse("participation:group_detail", args=[group.pk])).content.decode()
    assert "Piszemy opinię." in page and "Biblioteka" in page
    # Leading a group opens nothing else: no participants, cases or ideas of the host.
    case = make_case(world)
    idea = make_idea(world)
    assert not can(leader, "participant.view", case.participant)
    assert not can(leader, "case.view", case)
    assert client.get(reverse("participation:idea_detail", args=[idea.pk])).status_code == 404
    # And a leader cannot add a participant record (only the host organisation's staff can).
    with pytest.raises(PermissionDenied):
        services.group_member_add(
            group=group,
            by=leader,
            role="member",
            starts_on=timezone.localdate(),
            participant=make_participant(world),
        )


def test_members_see_the_group_others_do_not(world):
    group = make_group(world, public=False)
    url = reverse("participation:group_detail", args=[group.pk])
    outsider = world.user("caseworker")
    assert logged_in(outsider).get(url).status_code == 404
    GroupMember.objects.create(
        group=group, user=outsider, role="member", starts_on=timezone.localdate()
    )
    assert logged_in(outsider).get(url).status_code == 200
    # A term that ended closes the group again.
    GroupMember.objects.filter(user=outsider).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    assert logged_in(outsider).get(url).status_code == 404
    assert logged_in(world.user("coordinator")).get(url).status_code == 200  # the host


def test_womens_group_takes_women_only(world):
    group = make_group(world, kind="womens_group", women_only=True)
    coordinator = world.user("coordinator")
    man = make_participant(world, gender="male")
    with pytest.raises(ValidationError):
        services.group_member_add(
            group=group,
            by=coordinator,
            role="member",
            starts_on=timezone.localdate(),
            participant=man,
        )
    woman = make_participant(world, gender="female")
    services.group_member_add(
        group=group,
        by=coordinator,
        role="member",
        starts_on=timezone.localdate(),
        participant=woman,
    )
    assert group.members.get().participant == woman


def test_team_comments_per_section_and_the_authoritys_answers_are_public(world, client):
    leader = world.user("participant")
    group = make_group(world, leader=leader, public=True)
    member = world.user("participant", "b")
    GroupMember.objects.create(
        group=group, user=member, role="member", starts_on=timezone.localdate()
    )
    as_leader = logged_in(leader)
    consultation = make_consultation(world)
    as_leader.post(
        reverse("participation:policy_document_create", args=[group.pk]),
        {
            "title": "Strategia 2030",
            "call": consultation.pk,
            "text": "Cel 1: język polski.\n\nCel 2: praca.\r\n\r\nCel 3: mieszkania.",
        },
    )
    document = PolicyDocument.objects.get()
    assert document.call == consultation
    assert list(document.sections.values_list("number", flat=True)) == [1, 2, 3]
    logged_in(member).post(
        reverse("participation:section_comment", args=[document.pk, 2]),
        {"text": "Uznawanie dyplomów."},
    )
    assert document.sections.get(number=2).comments.get().text == "Uznawanie dyplomów."
    for section, text in (
        ("1", "Kursy wieczorowe."),
        ("2", "Uznawanie dyplomów."),
        ("", "Rada imigrantów."),
    ):
        as_leader.post(
            reverse("participation:opinion_point_adopt", args=[document.pk]),
            {"section": section, "text": text},
        )
    points = list(OpinionPoint.objects.order_by("pk"))
    answers = [
        ("accepted", ""),
        ("partly", "Tylko w urzędzie wojewódzkim."),
        ("rejected", "Brak podstawy prawnej."),
    ]
    for point, (response, reason) in zip(points, answers, strict=True):
        as_leader.post(
            reverse("participation:opinion_point_respond", args=[document.pk, point.pk]),
            {"response": response, "reason": reason},
        )
    tally = selectors.opinion_accountability(document=document)
    assert (tally["accepted"], tally["partly"], tally["rejected"], tally["waiting"]) == (1, 1, 1, 0)
    public = client.get(
        reverse("participation:policy_results", args=[document.pk])
    ).content.decode()
    assert "Brak podstawy prawnej." in public and "Tylko w urzędzie wojewódzkim." in public
    assert "Uznawanie dyplomów." in public  # the adopted point, not the member's comment
    assert member.get_full_name() not in public
    # The city's consultation page links to the group's opinion.
    call_page = client.get(reverse("participation:call_detail", args=[consultation.pk]))
    assert reverse("participation:policy_results", args=[document.pk]) in call_page.content.decode()
    # The city's consultation page links to the group's opinion.
    call_page = client.get(reverse("participation:call_detail", args=[consultation.pk]))
    assert reverse("participation:policy_results", args=[document.pk]) in call_page.content.decode()
    # A rejection needs a reason.
    with pytest.raises(ValidationError):
        services.opinion_point_respond(point=points[0], by=leader, response="rejected", reason=" ")


def test_a_private_groups_results_are_not_public(world, client):
    from tests.participation.factories import make_policy_document

    document = make_policy_document(make_group(world, public=False))
    assert (
        client.get(reverse("participation:policy_results", args=[document.pk])).status_code == 404
    )
    assert (
        client.get(reverse("participation:group_public", args=[document.group.pk])).status_code
        == 404
    )


def test_a_cooperative_moves_through_its_milestones(world):
    coordinator = world.user("coordinator")
    cooperative = make_group(world, kind="cooperative")
    services.milestone_record(
        group=cooperative, by=coordinator, step="founding_group", done_on=timezone.localdate()
    )
    services.milestone_record(
        group=cooperative,
        by=coordinator,
        step="statute",
        due_on=timezone.localdate(),
        support="Porada prawna OWES",
    )
    # Recording a step again updates it.
    services.milestone_record(
        group=cooperative,
        by=coordinator,
        step="statute",
        done_on=timezone.localdate(),
        support="Porada prawna OWES",
    )
    steps = {value: m for value, _label, m in selectors.group_milestones(group=cooperative)}
    assert steps["statute"].done_on == timezone.localdate() and steps["funding"] is None
    page = logged_in(coordinator).get(reverse("participation:group_detail", args=[cooperative.pk]))
    assert "Porada prawna OWES" in page.content.decode()
    with pytest.raises(ValidationError):
        services.milestone_record(group=make_group(world), by=coordinator, step="statute")


def test_group_figures_and_list_queries(world):
    group = make_group(world, leader=world.user("participant"))
    services.group_meeting_record(
        group=group, by=world.user("coordinator"), date=timezone.localdate()
    )
    figures = selectors.group_figures(groups=Group.objects.all())
    assert figures == {"groups": 1, "members": 1, "meetings": 1}
    client = logged_in(world.user("coordinator"))
    assert_constant_queries(
        client,
        reverse("participation:group_list"),
        lambda: make_group(world, leader=world.user("mentor")),
    )


def test_leaders_edit_the_group_its_members_and_meetings(world):
    leader = world.user("participant")
    group = make_group(world, leader=leader, public=False)
    member = GroupMember.objects.create(
        group=group, user=world.user("mentor"), role="member", starts_on=datetime.date(2026, 1, 1)
    )
    meeting = services.group_meeting_record(
        group=group, by=leader, date=datetime.date(2026, 2, 1), place="Biblioteka"
    )
    client = logged_in(leader)
    url = reverse("participation:group_edit", args=[group.pk])
    assert client.get(url).status_code == 200
    data = {"name": "Zespół Imigrantów", "kind": "advisory_team", "is_public": "on", "version": 1}
    assert client.post(url, data).status_code == 302
    group.refresh_from_db()
    assert (group.name, group.is_public, group.version) == ("Zespół Imigrantów", True, 2)
    # A second editor who still had version 1: a conflict above the form, nothing written.
    stale = client.post(url, {**data, "name": "Inna nazwa"})
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    group.refresh_from_db()
    assert group.name == "Zespół Imigrantów"
    # A member's role and term.
    member_url = reverse("participation:group_member_edit", args=[member.pk])
    page = client.get(member_url).content.decode()
    assert 'value="2026-01-01"' in page  # the stored date in the date picker
    response = client.post(
        member_url,
        {"role": "secretary", "starts_on": "2026-01-01", "ends_on": "2025-12-01", "version": 1},
    )
    assert response.status_code == 200  # the term cannot end before it starts
    client.post(member_url, {"role": "secretary", "starts_on": "2026-01-01", "version": 1})
    member.refresh_from_db()
    assert (member.role, member.version) == ("secretary", 2)
    # A meeting's minutes.
    meeting_url = reverse("participation:group_meeting_edit", args=[meeting.pk])
    client.post(meeting_url, {"date": "2026-02-01", "minutes": "Przyjęto opinię.", "version": 1})
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.version) == ("Przyjęto opinię.", 2)
    # A plain member may not edit; someone outside the group does not see it at all.
    plain = logged_in(world.user("mentor"))
    assert plain.get(meeting_url).status_code == 403
    assert logged_in(world.user("coordinator", "b")).get(member_url).status_code == 404


def test_a_womens_group_cannot_be_switched_on_with_men_in_it(world):
    group = make_group(world)
    GroupMember.objects.create(
        group=group,
        participant=make_participant(world, gender="male"),
        role="member",
        starts_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        services.group_update(
            group=group, by=world.user("coordinator"), women_only=True, version=group.version
        )


def test_a_big_groups_page_shows_the_newest_meetings_first_all_on_request(world):
    from mosty.participation.models import GroupMeeting
    from mosty.participation.views import GROUP_PAGE_ROWS

    group = make_group(world)
    today = timezone.localdate()
    GroupMeeting.objects.bulk_create(
        GroupMeeting(group=group, date=today - datetime.timedelta(days=n), place=f"Sala {n}")
        for n in range(GROUP_PAGE_ROWS + 5)
    )
    client = logged_in(world.user("coordinator"))
    url = reverse("participation:group_detail", args=[group.pk])
    page = client.get(url)
    assert len(page.context["meetings"]["rows"]) == GROUP_PAGE_ROWS
    assert page.context["meetings"]["rows"][0].place == "Sala 0"  # the newest first
    assert "?all=meetings" in page.content.decode()
    everything = client.get(url + "?all=meetings")
    assert len(everything.context["meetings"]["rows"]) == GROUP_PAGE_ROWS + 5


def test_a_meeting_in_the_future_is_refused_and_not_counted_as_held(world, client):
    from mosty.core.indicators import Scope
    from mosty.participation.indicators import groups_met
    from mosty.participation.models import GroupMeeting

    leader = world.user("participant")
    group = make_group(world, leader=leader)
    leaders = logged_in(leader)
    page = leaders.post(
        reverse("participation:group_meeting_add", args=[group.pk]),
        {"date": "2031-02-01", "place": "Biblioteka", "decisions": "Piszemy opinię."},
    )
    assert page.status_code == 200
    assert "daty z przyszłości" in page.context["form"].errors["date"][0]
    assert not group.meetings.exists()
    today = timezone.localdate()
    for days in (10, 3):
        services.group_meeting_record(
            group=group, by=leader, date=today - datetime.timedelta(days=days)
        )
    # One written before the check (straight into the database) is not counted as held.
    GroupMeeting.objects.create(group=group, date=datetime.date(2031, 2, 1))
    page = client.get(reverse("participation:group_public", args=[group.pk]))
    assert page.context["group"].meeting_count == 2
    assert "Odbyły się 2 spotkania." in page.content.decode()
    future = today + datetime.timedelta(days=365 * 6)
    GroupMeeting.objects.create(group=make_group(world), date=future)
    scope = Scope(start=today - datetime.timedelta(days=30), end=future)
    assert groups_met(scope) == 1  # the group that met, not the one that will


def test_a_member_by_portal_account_is_in_the_export_and_erased_by_name(world):
    """A group may list a participant's portal account: their export names the group, and
    once they are erased the member list says the name was erased (it showed a blank)."""
    from mosty.participation import gdpr as participation_gdpr
    from mosty.people.gdpr import anonymise_participant
    from tests.portal.factories import link

    participant = link(world)
    group = make_group(world, public=True)
    GroupMember.objects.create(
        group=group, user=world.user("participant"), role="member", starts_on=timezone.localdate()
    )
    exported = participation_gdpr._export_groups(participant)
    assert [row["group"] for row in exported] == [group.name]
    anonymise_participant(participant, by=world.user("coordinator"))
    page = logged_in(world.user("coordinator")).get(
        reverse("participation:group_detail", args=[group.pk])
    )
    assert "nazwisko usunięte" in page.content.decode()


def test_a_comment_or_point_posted_twice_is_kept_once(world):
    """A double tap, Back and Add, or the same form in a second tab: one comment, one point."""
    leader = world.user("participant")
    group = make_group(world, leader=leader)
    as_leader = logged_in(leader)
    as_leader.post(
        reverse("participation:policy_document_create", args=[group.pk]),
        {"title": "Strategia 2030", "text": "Cel 1: język polski.\n\nCel 2: praca."},
    )
    document = PolicyDocument.objects.get()
    second_tab = logged_in(leader)
    for client in (as_leader, second_tab):
        response = client.post(
            reverse("participation:section_comment", args=[document.pk, 1]),
            {"text": "Kursy także wieczorem."},
        )
        assert response.status_code == 302
        client.post(
            reverse("participation:opinion_point_adopt", args=[document.pk]),
            {"section": "1", "text": "Kursy wieczorowe."},
        )
    section = document.sections.get(number=1)
    assert [c.text for c in section.comments.all()] == ["Kursy także wieczorem."]
    assert list(document.points.values_list("text", flat=True)) == ["Kursy wieczorowe."]

    # Another comment, and the first one again after it, are the member's to write.
    for text in ("Też online.", "Kursy także wieczorem."):
        as_leader.post(
            reverse("participation:section_comment", args=[document.pk, 1]), {"text": text}
        )
    assert section.comments.count() == 3


def test_what_people_wrote_keeps_its_own_direction_on_a_farsi_page(world, client):
    """A Polish description, meeting, section, comment or point on a right-to-left page is
    isolated (`dir="auto"`, `<bdi>`), so its full stop stays at its end."""
    leader = world.user("participant")
    group = make_group(world, leader=leader, description="Opiniujemy strategię.")
    GroupMeeting.objects.create(
        group=group, date=timezone.localdate(), decisions="Przyjmujemy opinię.", minutes="Było 5."
    )
    document = make_policy_document(group)
    point = document.points.get()
    point.response, point.reason = "rejected", "Brak podstawy."
    point.save()
    SectionComment.objects.create(
        section=document.sections.get(number=1), author=leader, text="Kursy wieczorem."
    )
    idea = make_idea(world)
    pages = {
        f"/fa/participation/groups/{group.pk}/": [
            '<div class="mb-3" dir="auto"><p>Opiniujemy strategię.</p>',
            "<bdi>Przyjmujemy opinię.</bdi>",
            '<div dir="auto"><p>Było 5.</p>',
        ],
        f"/fa/participation/groups/{group.pk}/about/": [
            '<div class="mb-3" dir="auto"><p>Opiniujemy strategię.</p>'
        ],
        f"/fa/participation/groups/policy/{document.pk}/": [
            '<div class="mb-2" dir="auto"><p>Cel 1: język.</p>',
            "<bdi>Kursy wieczorem.</bdi>",
            "<bdi>Kursy polskiego wieczorami.</bdi>",
            '<bdi class="small">Brak podstawy.</bdi>',
        ],
        f"/fa/participation/groups/policy/{document.pk}/results/": [
            "<bdi>Kursy polskiego wieczorami.</bdi>"
        ],
    }
    member = logged_in(leader)
    for url, isolated in pages.items():
        page = (client if url.endswith("results/") or url.endswith("about/") else member).get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert 'dir="rtl"' in html
        for piece in isolated:
            assert piece in html, (url, piece)
    html = logged_in(world.user("caseworker")).get(f"/fa/participation/ideas/{idea.pk}/")
    assert '<div class="mb-3" dir="auto"><p>Chcemy założyć ogród' in html.content.decode()


def test_an_empty_comment_or_point_is_shown_beside_its_box(world):
    leader = world.user("participant")
    group = make_group(world, leader=leader)
    document = make_policy_document(group)
    client = logged_in(leader)
    response = client.post(
        reverse("participation:section_comment", args=[document.pk, 2]), {"text": "  "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="comment-2" rows="2" required aria-invalid="true"' in html
    assert 'id="comment-2-errors"' in html and 'id="comment-1-errors"' not in html

    response = client.post(
        reverse("participation:opinion_point_adopt", args=[document.pk]),
        {"section": "9", "text": "Kursy wieczorem."},
    )
    assert response.status_code == 200
    form = response.context["point_form"]
    assert list(form.errors) == ["section"]
    assert "Kursy wieczorem.</textarea>" in response.content.decode()
    assert not SectionComment.objects.exists() and document.points.count() == 1


def test_someone_added_twice_is_a_member_once(world):
    """The add form sent twice (a double click, Back and Save, two leaders): one membership,
    and the second says why beside the address; a new term after the last one ended is
    allowed."""
    leader = world.user("participant")
    group = make_group(world, leader=leader)
    member = world.user("participant", "b")
    url = reverse("participation:group_member_add", args=[group.pk])
    data = {"email": member.email, "role": "member", "starts_on": "2026-01-01"}
    assert logged_in(leader).post(url, data).status_code == 302
    again = logged_in(leader).post(url, {**data, "starts_on": "2026-03-01"})
    assert again.status_code == 200
    assert list(again.context["form"].errors) == ["email"]
    assert group.members.filter(user=member).count() == 1

    group.members.filter(user=member).update(ends_on=datetime.date(2026, 2, 1))
    assert logged_in(leader).post(url, {**data, "starts_on": "2026-03-01"}).status_code == 302
    assert group.members.filter(user=member).count() == 2
    # The same for a participant the host adds.
    participant = make_participant(world)
    for _ in range(2):
        with pytest.raises(ValidationError) if _ else contextlib.nullcontext():
            services.group_member_add(
                group=group,
                by=world.user("coordinator"),
                role="member",
                starts_on=timezone.localdate(),
                participant=participant,
            )
    assert group.members.filter(participant=participant).count() == 1
