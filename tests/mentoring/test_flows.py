"""Sign-up, vetting, matching, the match lifecycle and the mentor's own pages."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from mosty.access.models import AuditEvent
from mosty.accounts.models import Membership
from mosty.mentoring import services
from mosty.mentoring.models import Match, MatchStatus, Mentor, VettingStatus
from mosty.mentoring.tasks import matching_run_compute, mentor_decision_notify
from tests.factories import DistrictFactory
from tests.mentoring.factories import (
    MatchFactory,
    MeetingFactory,
    MentorFactory,
    waiting_participant,
)
from tests.mentoring.routes import the_mentor
from tests.utils import assert_constant_queries


def application(world, **extra):
    data = {
        "organisation": world.org_a.pk,
        "kind": "family",
        "name": "Rodzina Nowaków",
        "email": "nowakowie@example.org",
        "language": "uk",
        "district": world.district.pk,
        "lang_pl": "native",
        "lang_uk": "B1",
        "interests": ["football", "cooking"],
        "availability": ["tue-evening"],
        "capacity": "2",
        "families_welcome": "on",
        "motivation": "We have room in our lives.",
        "consent": "on",
    }
    data.update(extra)
    return data


# -- sign-up --------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["pl", "en", "uk", "ru", "ar", "fa", "fr"])
def test_signup_form_in_every_language(client, world, lang):
    response = client.get(f"/{lang}/mentoring/apply/")
    assert response.status_code == 200
    assert 'name="lang_uk"' in response.content.decode()


def test_signup_creates_an_application(client, world):
    response = client.post("/en/mentoring/apply/", application(world))
    assert response.status_code == 302
    mentor = Mentor.objects.get(email="nowakowie@example.org")
    assert mentor.status == VettingStatus.APPLIED
    assert mentor.languages == [{"code": "pl", "level": "native"}, {"code": "uk", "level": "B1"}]
    assert mentor.kind == "family" and mentor.capacity == 2 and mentor.consent_at
    assert mentor.vetting_steps.get().step == VettingStatus.APPLIED


def test_signup_bad_input_gets_field_errors(client, world):
    data = application(world, email="not-an-email", capacity="0", lang_pl="", lang_uk="")
    data.pop("consent")
    response = client.post("/en/mentoring/apply/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"email", "capacity", "consent", "lang_pl"}
    assert not Mentor.objects.exists()


def test_duplicate_email_is_recognised(client, world):
    client.post("/en/mentoring/apply/", application(world))
    response = client.post(
        "/en/mentoring/apply/", application(world, email="NowakOwie@example.org")
    )
    assert response.status_code == 200
    assert "already have an application" in str(response.context["form"].errors["email"])
    assert Mentor.objects.count() == 1


# -- vetting --------------------------------------------------------------------------------
def test_vetting_path_records_who_and_when_and_mails_on_approval(
    login, world, django_capture_on_commit_callbacks
):
    mentor = MentorFactory(organisation=world.org_a, status="applied", language="uk")
    client = login("coordinator")
    for step in ["interviewed", "references_checked", "certificate_checked", "trained"]:
        response = client.post(f"/en/mentoring/mentors/{mentor.pk}/vet/", {"step": step})
        assert response.status_code == 302, step
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/mentoring/mentors/{mentor.pk}/vet/", {"step": "approved"})
    mentor.refresh_from_db()
    assert mentor.status == VettingStatus.APPROVED and mentor.certificate_checked_at
    steps = list(mentor.vetting_steps.values_list("step", "decided_by_id"))
    assert [s for s, _ in steps] == [
        "interviewed", "references_checked", "certificate_checked", "trained", "approved",
    ]  # fmt: skip
    assert {by for _, by in steps} == {world.user("coordinator").pk}
    # Approval opens a mentor account in the organisation.
    assert Membership.objects.filter(
        user=mentor.user, organisation=world.org_a, role="mentor", is_active=True
    ).exists()
    assert len(mail.outbox) == 0  # enqueued, not sent in the request
    queued = DBTaskResult.objects.get(task_path__endswith="mentor_decision_notify")
    # Run it here rather than through db_worker, which closes the test's connection on PostgreSQL.
    mentor_decision_notify.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [mentor.email]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_rejection_needs_a_reason_and_steps_cannot_be_skipped(login, world):
    mentor = MentorFactory(organisation=world.org_a, status="applied")
    client = login("coordinator")
    response = client.post(f"/en/mentoring/mentors/{mentor.pk}/vet/", {"step": "approved"})
    assert response.status_code == 400
    assert "step" in response.context["form"].errors
    response = client.post(f"/en/mentoring/mentors/{mentor.pk}/vet/", {"step": "rejected"})
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    response = client.post(
        f"/en/mentoring/mentors/{mentor.pk}/vet/", {"step": "rejected", "note": "No time."}
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.status == "rejected" and mentor.rejection_reason == "No time."


def test_coordinator_of_another_organisation_cannot_vet(login, world):
    mentor = MentorFactory(organisation=world.org_a, status="applied")
    response = login("coordinator", "b").post(
        f"/en/mentoring/mentors/{mentor.pk}/vet/", {"step": "interviewed"}
    )
    assert response.status_code == 404


# -- matching and lifecycle -----------------------------------------------------------------
def computed(world, org="a"):
    """What the worker does after a coordinator asks for new proposals."""
    run = services.matching_recompute(by=world.user("coordinator", org))
    matching_run_compute.call(run.pk)
    return run


def test_matching_page_proposes_explains_and_lists_the_unmatched(login, world):
    mentor = MentorFactory(organisation=world.org_a, district=world.district)
    ukr = waiting_participant(world.org_a, first_name="Oksana", district=world.district)
    tig = waiting_participant(
        world.org_a, first_name="Yonas", languages=[{"code": "ti", "level": "native"}]
    )
    waiting_participant(world.org_b)  # another organisation's person is not considered
    computed(world)
    response = login("coordinator").get("/en/mentoring/matching/")
    assert response.status_code == 200
    proposals = response.context["proposals"]
    assert [(p["participant"], p["mentor"]) for p in proposals] == [(ukr, mentor)]
    assert proposals[0]["text"].startswith("speaks Ukrainian; same district")
    unmatched = response.context["unmatched"]
    assert [(u["participant"], u["reason"]) for u in unmatched] == [
        (tig, "No approved mentor speaks Tigrinya.")
    ]
    assert AuditEvent.objects.filter(action="mosty.mentoring.matching.viewed").exists()


def test_matching_page_shows_proposals_and_the_unmatched_a_page_at_a_time(
    login, world, monkeypatch
):
    from mosty.mentoring import views

    monkeypatch.setattr(views, "MATCHING_PAGE", 3)
    MentorFactory(organisation=world.org_a, district=world.district, capacity=4)
    for i in range(5):
        waiting_participant(world.org_a, first_name=f"Uk{i}", district=world.district)
    for i in range(4):
        waiting_participant(
            world.org_a, first_name=f"Ti{i}", languages=[{"code": "ti", "level": "native"}]
        )
    computed(world)
    client = login("coordinator")
    first = client.get("/en/mentoring/matching/")
    assert len(first.context["proposals"]) == 3 and len(first.context["unmatched"]) == 3
    page = first.content.decode()
    assert "Page 1 of 2" in page and "upage=2" in page
    second = client.get("/en/mentoring/matching/?page=2&upage=2")
    assert len(second.context["proposals"]) == 1
    # The fifth Ukrainian speaker and the four Tigrinya speakers have no mentor.
    assert len(second.context["unmatched"]) == 2
    shown = {p["participant"].first_name for p in first.context["proposals"]} | {
        p["participant"].first_name for p in second.context["proposals"]
    }
    assert len(shown) == 4


def test_whole_lifecycle(client, login, world):
    mentor = the_mentor(world)
    participant = waiting_participant(world.org_a, first_name="Oksana", last_name="Secretname")
    computed(world)
    coordinator = login("coordinator")
    assert len(coordinator.get("/en/mentoring/matching/").context["proposals"]) == 1
    response = coordinator.post(
        "/en/mentoring/matching/propose/", {"pair": f"{participant.pk}-{mentor.pk}"}
    )
    assert response.status_code == 302
    match = Match.objects.get(participant=participant)
    assert match.status == MatchStatus.PROPOSED and match.explanation["languages"] == ["uk"]
    # The person no longer waits for a proposal.
    assert coordinator.get("/en/mentoring/matching/").context["proposals"] == []

    mentor_client = login("mentor")
    page = mentor_client.get(f"/en/mentoring/matches/{match.pk}/").content.decode()
    assert "Oksana" in page and "Secretname" not in page
    assert mentor_client.post(f"/en/mentoring/matches/{match.pk}/respond/", {"answer": "accept"})
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED

    coordinator = login("coordinator")
    coordinator.post(f"/en/mentoring/matches/{match.pk}/activate/")
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE and match.started_on

    mentor_client = login("mentor")
    today = timezone.localdate()
    response = mentor_client.post(
        f"/en/mentoring/matches/{match.pk}/meetings/new/",
        {"date": today.isoformat(), "minutes": "90", "activity": "office"},
    )
    assert response.status_code == 302
    response = mentor_client.post(
        f"/en/mentoring/matches/{match.pk}/meetings/new/",
        {"date": (today + dt.timedelta(days=3)).isoformat(), "minutes": "2", "activity": "x"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date", "minutes", "activity"}
    assert match.meetings.count() == 1
    # Check-ins are the coordinator's.
    assert mentor_client.post(f"/en/mentoring/matches/{match.pk}/check-in/", {}).status_code == 403

    coordinator = login("coordinator")
    response = coordinator.post(
        f"/en/mentoring/matches/{match.pk}/check-in/",
        {"date": today.isoformat(), "mentor_satisfaction": "5", "participant_satisfaction": "4"},
    )
    assert response.status_code == 302
    assert match.checkins.get().participant_satisfaction == 4

    mentor_client = login("mentor")
    response = mentor_client.post(
        f"/en/mentoring/matches/{match.pk}/end/",
        {"reason": "goals_reached", "feedback": "We became friends."},
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED
    assert match.mentor_feedback == "We became friends." and match.ended_by == world.user("mentor")
    # Ended: no more meetings.
    assert mentor_client.get(f"/en/mentoring/matches/{match.pk}/meetings/new/").status_code == 403


def test_declining_frees_the_place_and_the_pair_is_not_suggested_again(login, world):
    mentor = the_mentor(world)
    participant = waiting_participant(world.org_a)
    match = services.match_propose(
        participant=participant, mentor=mentor, by=world.user("coordinator")
    )
    login("mentor").post(f"/en/mentoring/matches/{match.pk}/respond/", {"answer": "decline"})
    match.refresh_from_db()
    assert match.status == MatchStatus.DECLINED
    computed(world)
    response = login("coordinator").get("/en/mentoring/matching/")
    assert response.context["proposals"] == []
    assert "fits the preferences" in response.context["unmatched"][0]["reason"]


def test_hand_match_checks_hard_constraints(login, world):
    mentor = MentorFactory(organisation=world.org_a, languages=[{"code": "pl", "level": "native"}])
    participant = waiting_participant(world.org_a, birth_year=timezone.localdate().year - 12)
    response = login("coordinator").post(
        "/en/mentoring/matching/by-hand/", {"participant": participant.pk, "mentor": mentor.pk}
    )
    assert response.status_code == 400
    errors = " ".join(response.context["hand_form"].errors["mentor"])
    assert "no language in common" in errors
    assert "criminal-record certificate" in errors
    assert not Match.objects.exists()


def test_capacity_is_enforced_when_proposing(world):
    mentor = MentorFactory(organisation=world.org_a, capacity=1)
    by = world.user("coordinator")
    services.match_propose(participant=waiting_participant(world.org_a), mentor=mentor, by=by)
    with translation.override("en"), pytest.raises(Exception, match="no free place"):
        services.match_propose(participant=waiting_participant(world.org_a), mentor=mentor, by=by)


def test_propose_many_is_all_or_nothing(login, world):
    mentor = MentorFactory(organisation=world.org_a, capacity=1)
    a, b = waiting_participant(world.org_a), waiting_participant(world.org_a)
    login("coordinator").post(
        "/en/mentoring/matching/propose/",
        {"pair": [f"{a.pk}-{mentor.pk}", f"{b.pk}-{mentor.pk}"]},
    )
    assert not Match.objects.exists()


def test_swap_exchanges_mentors_of_two_proposals(login, world):
    by = world.user("coordinator")
    m1, m2 = MentorFactory(organisation=world.org_a), MentorFactory(organisation=world.org_a)
    a = services.match_propose(participant=waiting_participant(world.org_a), mentor=m1, by=by)
    b = services.match_propose(participant=waiting_participant(world.org_a), mentor=m2, by=by)
    response = login("coordinator").post(
        "/en/mentoring/matching/swap/", {"first": a.pk, "second": b.pk}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.mentor_id, b.mentor_id) == (m2.pk, m1.pk)


def test_participant_wishes_become_hard_constraints(login, world):
    MentorFactory(organisation=world.org_a, gender="male")
    participant = waiting_participant(world.org_a, gender="female")
    client = login("coordinator")
    response = client.post(
        f"/en/mentoring/participants/{participant.pk}/wishes/",
        {"mentor_gender": "female", "interests": ["music"]},
    )
    assert response.status_code == 302
    computed(world)
    assert client.get("/en/mentoring/matching/").context["proposals"] == []


def test_coordinator_list_flags_quiet_matches_and_overdue_checkins(login, world):
    old = timezone.localdate() - dt.timedelta(days=45)
    quiet = MatchFactory(mentor=MentorFactory(organisation=world.org_a), started_on=old)
    MeetingFactory(match=quiet, date=old)
    fresh = MatchFactory(mentor=MentorFactory(organisation=world.org_a))
    MeetingFactory(match=fresh)
    response = login("coordinator").get("/en/mentoring/matches/")
    flags = {m.pk: m.flags for m in response.context["attention"]}
    assert flags[quiet.pk]["quiet"] and flags[quiet.pk]["checkin_overdue"]
    assert not flags[fresh.pk]["quiet"] and not flags[fresh.pk]["checkin_overdue"]
    assert response.context["attention"][0].pk == quiet.pk


def test_mentor_home_and_availability(login, world):
    mentor = the_mentor(world)
    MatchFactory(mentor=mentor)
    other = MatchFactory(mentor=MentorFactory(organisation=world.org_a))
    client = login("mentor")
    response = client.get("/en/mentoring/")
    assert len(response.context["matches"]) == 1
    assert client.get(f"/en/mentoring/matches/{other.pk}/").status_code == 404
    response = client.post(
        "/en/mentoring/availability/", {"availability": ["mon-evening"], "capacity": "0"}
    )
    assert "capacity" in response.context["form"].errors
    client.post("/en/mentoring/availability/", {"availability": ["mon-evening"], "capacity": "3"})
    mentor.refresh_from_db()
    assert mentor.availability == ["mon-evening"] and mentor.capacity == 3


def test_mentor_cannot_lower_capacity_below_open_matches(world):
    mentor = the_mentor(world)
    MatchFactory(mentor=mentor)
    MatchFactory(mentor=mentor)
    with translation.override("en"), pytest.raises(Exception, match="already support 2"):
        services.mentor_update_own(
            mentor=mentor, by=world.user("mentor"), availability=[], capacity=1
        )


# -- API ------------------------------------------------------------------------------------
def test_api_mentor_sees_only_first_name(login, world):
    match = MatchFactory(mentor=the_mentor(world))
    data = login("mentor").get(f"/api/mentoring/matches/{match.pk}/").json()
    assert data["participant_first_name"] == match.participant.first_name
    assert "participant_name" not in data and "participant" not in data
    data = login("coordinator").get(f"/api/mentoring/matches/{match.pk}/").json()
    assert data["participant"] == match.participant_id


def test_api_meeting_bad_input_is_json_400(login, world):
    match = MatchFactory(mentor=the_mentor(world))
    response = login("mentor").post(
        f"/api/mentoring/matches/{match.pk}/meetings/new/",
        {"date": "nope", "minutes": 1, "activity": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"date", "minutes", "activity"}


def test_api_public_apply_and_duplicate(client, world):
    data = {
        "organisation": world.org_a.pk,
        "kind": "individual",
        "name": "Ewa",
        "email": "ewa@example.org",
        "languages": [{"code": "pl", "level": "native"}],
        "motivation": "To help.",
        "consent": True,
    }
    assert (
        client.post("/api/mentoring/apply/", data, content_type="application/json").status_code
        == 201
    )
    response = client.post("/api/mentoring/apply/", data, content_type="application/json")
    assert response.status_code == 400 and "email" in response.json()


# -- query counts ---------------------------------------------------------------------------
def test_constant_queries_on_lists_and_pages(login, world):
    mentor = the_mentor(world)
    district = DistrictFactory(city=world.city)
    MeetingFactory(match=MatchFactory(mentor=mentor))
    client = login("coordinator")
    assert_constant_queries(
        client, "/en/mentoring/mentors/", lambda: MentorFactory(organisation=world.org_a)
    )
    assert_constant_queries(
        client,
        "/en/mentoring/matches/",
        lambda: MeetingFactory(match=MatchFactory(mentor=MentorFactory(organisation=world.org_a))),
    )
    MentorFactory(organisation=world.org_a, district=district)
    waiting_participant(world.org_a, district=district)
    waiting_participant(world.org_a, languages=[{"code": "ti", "level": "native"}])
    computed(world)
    assert_constant_queries(
        client,
        "/en/mentoring/matching/",
        lambda: (
            MentorFactory(organisation=world.org_a, district=district),
            waiting_participant(world.org_a, district=district),
            waiting_participant(world.org_a, languages=[{"code": "ti", "level": "native"}]),
            computed(world),
        ),
    )
    person = waiting_participant(world.org_a, district=district)
    assert_constant_queries(
        client,
        f"/en/mentoring/matching/{person.pk}/mentors/",
        lambda: MatchFactory(mentor=MentorFactory(organisation=world.org_a, district=district)),
    )
    match = MatchFactory(mentor=mentor)
    assert_constant_queries(
        client, f"/en/mentoring/matches/{match.pk}/", lambda: MeetingFactory(match=match)
    )
    assert_constant_queries(client, "/api/mentoring/matches/", lambda: MatchFactory(mentor=mentor))
    client = login("mentor")
    assert_constant_queries(client, "/en/mentoring/", lambda: MatchFactory(mentor=mentor))


def test_dashboard_panels_for_coordinator_and_mentor(login, world):
    MentorFactory(organisation=world.org_a, status="applied")
    MatchFactory(mentor=the_mentor(world), status="proposed", started_on=None)
    page = login("coordinator").get("/en/dashboard/").content.decode()
    assert "1 new application" in page
    page = login("mentor").get("/en/dashboard/").content.decode()
    assert "1 proposal is waiting for your answer" in page


def test_home_page_links_to_the_sign_up_in_the_visitors_language(client, world):
    page = client.get("/uk/").content.decode()
    assert 'href="/uk/mentoring/apply/"' in page and "Станьте наставником" in page


def test_mentor_sees_only_first_names_on_their_own_profile(login, world):
    mentor = the_mentor(world)
    match = MatchFactory(mentor=mentor)
    page = login("mentor").get(f"/en/mentoring/mentors/{mentor.pk}/").content.decode()
    assert match.participant.first_name in page and match.participant.last_name not in page
    assert 'name="step"' not in page  # no vetting form for the mentor


def test_signup_offers_the_organisations_that_run_mentoring(client, world):
    from mosty.networks.models import NetworkMembership
    from tests.factories import NetworkFactory

    page = client.get("/en/mentoring/apply/")
    assert set(page.context["form"].fields["organisation"].queryset) == {world.org_a, world.org_b}
    NetworkMembership.objects.create(
        network=NetworkFactory(theme="mentors"), organisation=world.org_b
    )
    page = client.get("/en/mentoring/apply/")
    assert list(page.context["form"].fields["organisation"].queryset) == [world.org_b]


def test_public_sign_up_is_rate_limited_per_client(client, world, settings):
    settings.MOSTY_PUBLIC_FORM_RATE = "2/h"
    for i in range(2):
        data = application(world, email=f"applicant{i}@example.org")
        assert client.post("/en/mentoring/apply/", data).status_code == 302
    # Mistakes do not count: a wrong form is answered as usual.
    bad = application(world, email="not-an-email")
    assert client.post("/en/mentoring/apply/", bad).status_code == 200
    response = client.post("/en/mentoring/apply/", application(world, email="third@example.org"))
    assert response.status_code == 429
    assert "Too many submissions" in response.content.decode()
    assert not Mentor.objects.filter(email="third@example.org").exists()
    # The API shares the limit and answers in JSON.
    api = client.post(
        "/api/mentoring/apply/",
        {
            "organisation": world.org_a.pk,
            "kind": "individual",
            "name": "Ewa",
            "email": "ewa@example.org",
            "languages": [{"code": "pl", "level": "native"}],
            "motivation": "To help.",
            "consent": True,
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert api.status_code == 429 and "Too many submissions" in api.json()["detail"]
    # Another client is not affected.
    other = client.post(
        "/en/mentoring/apply/",
        application(world, email="elsewhere@example.org"),
        REMOTE_ADDR="203.0.113.7",
    )
    assert other.status_code == 302


def _programmes(count):
    """`count` more organisations taking mentor applications (active, with a coordinator)."""
    from tests.factories import MembershipFactory

    return [
        MembershipFactory(role="coordinator", organisation__name=f"Centre {i:03d}").organisation
        for i in range(count)
    ]


def _options(response, name="organisation"):
    import re

    html = response.content.decode()
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d*)"', select)


def test_signup_lists_a_page_of_programmes_and_finds_one_by_name(client, world, settings):
    from mosty.core.forms import SEARCH_SHOWN

    settings.MOSTY_PUBLIC_FORM_RATE = "1/h"
    _programmes(SEARCH_SHOWN + 10)
    wanted = world.org_b  # sorted after the "Centre …" ones: not listed before a search
    page = client.get("/en/mentoring/apply/")
    listed = _options(page)
    assert listed[0] == "" and len(listed) == SEARCH_SHOWN + 1
    assert str(wanted.pk) not in listed
    html = page.content.decode()
    assert 'name="organisation__q"' in html and 'aria-label="Find in the list below"' in html
    assert '<label class="form-label" for="id_organisation">' in html
    # "Find" (what Enter in the box does too) shows the form again with the matches; it
    # neither applies nor spends the client's allowance, however often it is pressed.
    typed = application(world, organisation="", organisation__q=wanted.name, _search="organisation")
    for _ in range(3):
        found = client.post("/en/mentoring/apply/", typed)
        assert found.status_code == 200
        assert _options(found) == ["", str(wanted.pk)]
        assert 'value="Rodzina Nowaków"' in found.content.decode()  # what was typed stays
        assert not found.context["form"].errors
    assert not Mentor.objects.exists()
    response = client.post("/en/mentoring/apply/", application(world, organisation=wanted.pk))
    assert response.status_code == 302
    assert Mentor.objects.get().organisation == wanted


def test_signup_refuses_a_programme_that_takes_no_mentors(client, world):
    from tests.factories import OrganisationFactory

    # No coordinator to read the application, or no longer active.
    for organisation in (OrganisationFactory(), world.org_b):
        if organisation == world.org_b:
            organisation.is_active = False
            organisation.save()
        response = client.post(
            "/en/mentoring/apply/", application(world, organisation=organisation.pk)
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"organisation"}
        # Said beside the field, which points to it.
        html = response.content.decode()
        assert 'id="id_organisation_errors"' in html and 'aria-invalid="true"' in html
        assert str(organisation.pk) not in _options(response)
    response = client.post("/en/mentoring/apply/", application(world, organisation=""))
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not Mentor.objects.exists()


def test_choose_a_mentor_by_hand_lists_those_who_may_take_the_person_best_first(login, world):
    year = timezone.localdate().year
    family = waiting_participant(
        world.org_a, first_name="Oksana", district=world.district, birth_year=year - 12
    )
    unchecked = MentorFactory(organisation=world.org_a, name="Unchecked", district=world.district)
    far = MentorFactory(organisation=world.org_a, name="Far", certificate_checked_at=timezone.now())
    near = MentorFactory(
        organisation=world.org_a,
        name="Near",
        district=world.district,
        certificate_checked_at=timezone.now(),
    )
    MentorFactory(organisation=world.org_b, name="Elsewhere", certificate_checked_at=timezone.now())
    client = login("coordinator")
    response = client.get(f"/en/mentoring/matching/{family.pk}/mentors/")
    assert response.status_code == 200
    shown = [c["mentor"] for c in response.context["candidates"]]
    # A minor takes part: only certificate-checked mentors, of the coordinator's organisation.
    assert shown == [near, far]
    assert unchecked not in shown
    assert response.context["candidates"][0]["text"].startswith("speaks Ukrainian; same district")
    assert AuditEvent.objects.filter(action="mosty.people.participant.viewed").exists()
    # Proposing from the list sends the proposal; the person is then no longer waiting.
    client.post("/en/mentoring/matching/by-hand/", {"participant": family.pk, "mentor": near.pk})
    assert Match.objects.get(participant=family).mentor == near
    again = client.get(f"/en/mentoring/matching/{family.pk}/mentors/")
    assert again.context["candidates"] == []
    assert "already" in again.context["reason"]


def test_choose_a_mentor_says_why_nobody_fits(login, world):
    MentorFactory(organisation=world.org_a)
    person = waiting_participant(world.org_a, languages=[{"code": "ti", "level": "native"}])
    response = login("coordinator").get(f"/en/mentoring/matching/{person.pk}/mentors/")
    assert response.context["candidates"] == []
    assert response.context["reason"] == "No approved mentor speaks Tigrinya."
    assert "No approved mentor speaks Tigrinya." in response.content.decode()


def test_mentor_gets_meeting_and_end_only_once_the_match_is_active(login, world):
    match = MatchFactory(mentor=the_mentor(world), status=MatchStatus.ACCEPTED)
    mentor_client = login("mentor")
    page = mentor_client.get(f"/en/mentoring/matches/{match.pk}/").content.decode()
    assert f"/matches/{match.pk}/meetings/new/" not in page
    assert f"/matches/{match.pk}/end/" not in page
    assert mentor_client.get(f"/en/mentoring/matches/{match.pk}/meetings/new/").status_code == 403
    assert mentor_client.get(f"/en/mentoring/matches/{match.pk}/end/").status_code == 403
    # The coordinator may still call off an accepted match before it starts.
    page = login("coordinator").get(f"/en/mentoring/matches/{match.pk}/").content.decode()
    assert f"/matches/{match.pk}/end/" in page
    match.status = MatchStatus.ACTIVE
    match.save(update_fields=["status"])
    page = login("mentor").get(f"/en/mentoring/matches/{match.pk}/").content.decode()
    assert f"/matches/{match.pk}/meetings/new/" in page and f"/matches/{match.pk}/end/" in page


def test_mentor_marks_a_task_given_to_them_as_done(login, world):
    from mosty.cases.models import Case, Goal, Task

    match = MatchFactory(mentor=the_mentor(world))
    case = Case.objects.create(
        organisation=world.org_a,
        participant=match.participant,
        lead=world.user("caseworker"),
        opened_on=timezone.localdate(),
    )
    goal = Goal.objects.create(case=case, domain="housing", title="Flat")
    task = Task.objects.create(
        goal=goal,
        title="Go to the library together",
        assignee_kind="mentor",
        assignee_user=world.user("mentor"),
    )
    other = Task.objects.create(goal=goal, title="Staff only", assignee_user=case.lead)
    client = login("mentor")
    url = f"/en/mentoring/matches/{match.pk}/"
    page = client.get(url).content.decode()
    assert f"/cases/tasks/{task.pk}/done/" in page
    response = client.post(f"/en/cases/tasks/{task.pk}/done/", {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    task.refresh_from_db()
    assert task.status == "done" and task.completed_at
    assert AuditEvent.objects.filter(
        action="mosty.case.task.completed", actor=world.user("mentor")
    ).exists()
    # Done tasks leave the list; tasks of others stay out of reach.
    assert "Go to the library together" not in client.get(url).content.decode()
    assert client.post(f"/en/cases/tasks/{other.pk}/done/").status_code == 404
    # An external "next" is not followed.
    task.status = "todo"
    task.save(update_fields=["status"])
    response = client.post(f"/en/cases/tasks/{task.pk}/done/", {"next": "https://evil.example/"})
    assert response["Location"] != "https://evil.example/"


def test_ending_a_match_twice_at_once_the_second_is_a_conflict_and_writes_nothing(world):
    from mosty.core.models import EditConflict

    match = MatchFactory(
        mentor=the_mentor(world), status=MatchStatus.ACTIVE, started_on=timezone.localdate()
    )
    shown = Match.objects.get(pk=match.pk)  # what the second person's form was built from
    services.match_end(
        match=match,
        by=world.user("mentor"),
        reason="goals_reached",
        feedback="We became friends.",
        version=match.version,
    )
    with pytest.raises(EditConflict):
        services.match_end(
            match=shown,
            by=world.user("coordinator"),
            reason="not_a_fit",
            feedback="Overwritten?",
            version=shown.version,
        )
    match.refresh_from_db()
    assert match.end_reason == "goals_reached" and match.mentor_feedback == "We became friends."
    assert match.ended_by == world.user("mentor") and match.version == 2


def test_vetting_step_records_who_changed_the_mentor_last(login, world):
    mentor = MentorFactory(organisation=world.org_a, status=VettingStatus.APPLIED)
    response = login("coordinator").post(
        f"/en/mentoring/mentors/{mentor.pk}/vet/", {"step": "interviewed", "note": ""}
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.status == VettingStatus.INTERVIEWED
    assert mentor.updated_by == world.user("coordinator") and mentor.version == 2
