import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from mosty.access.domains.cases import my_team_cases, visible_cases
from mosty.access.domains.people import visible_participants
from mosty.access.policy import can
from mosty.accounts.models import Grant
from mosty.cases import selectors, services
from mosty.cases.models import Domain, Note, ReferralStatus, SharedField, Task
from mosty.cases.tasks import task_remind
from tests.cases.factories import (
    make_case,
    make_goal,
    make_note,
    make_participant,
    make_referral,
    make_task,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, grant

ALL_SCORES = {d: (3, "ok") for d in Domain.values}


def test_case_open_requires_case_management_consent(world):
    participant = make_participant(world, consents=())
    with pytest.raises(ValidationError) as exc:
        services.case_open(
            organisation=world.org_a,
            participant=participant,
            lead=world.user("caseworker"),
            by=world.user("caseworker"),
        )
    assert exc.value.code == "consent_missing"


def test_case_open_and_team_rules(world):
    participant = make_participant(world)
    outsider = world.user("caseworker", "b")
    with pytest.raises(ValidationError) as exc:
        services.case_open(
            organisation=world.org_a,
            participant=participant,
            lead=outsider,
            by=world.user("caseworker"),
        )
    assert "lead" in exc.value.message_dict
    case = services.case_open(
        organisation=world.org_a,
        participant=participant,
        lead=world.user("caseworker"),
        members=[world.user("coordinator")],
        by=world.user("caseworker"),
    )
    assert case.status == "intake" and list(case.members.all()) == [world.user("coordinator")]
    with pytest.raises(PermissionDenied):
        services.case_open(
            organisation=world.org_a,
            participant=participant,
            lead=world.user("caseworker"),
            by=world.user("mentor"),
        )


def test_status_transitions_and_closure_reason(world):
    case = make_case(world)
    by = world.user("caseworker")
    with pytest.raises(ValidationError):
        services.case_change_status(case=case, status="on_hold", by=by)
    services.case_change_status(case=case, status="active", by=by)
    with pytest.raises(ValidationError) as exc:
        services.case_change_status(case=case, status="closed", by=by)
    assert "closure_reason" in exc.value.message_dict
    services.case_change_status(case=case, status="closed", closure_reason="moved_away", by=by)
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at is not None
    assert not can(by, "case.plan_edit", case)
    services.case_change_status(case=case, status="active", by=by)
    case.refresh_from_db()
    assert case.closure_reason == "" and case.closed_at is None


def test_second_concurrent_save_gets_a_conflict(world):
    case = make_case(world)
    by = world.user("caseworker")
    first = visible_cases(by).get(pk=case.pk)
    second = visible_cases(world.user("coordinator")).get(pk=case.pk)
    services.case_update(
        case=first, by=by, version=first.version, lead=by, members=[], review_date=None
    )
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.case_update(
            case=second,
            by=world.user("coordinator"),
            version=second.version,
            lead=by,
            members=[],
            review_date=datetime.date(2030, 1, 1),
        )
    assert exc.value.code == "conflict"
    with translation.override("pl"):
        assert "Odśwież stronę" in exc.value.messages[0]
    case.refresh_from_db()
    assert case.review_date is None


def test_goal_edit_conflict(world):
    goal = make_goal(make_case(world))
    by = world.user("caseworker")
    services.goal_update(goal=goal, by=by, version=1, title="Flat in Wrzeszcz")
    with pytest.raises(ValidationError):
        services.goal_update(goal=goal, by=by, version=1, title="Stale edit")


def test_assessment_needs_all_domains_in_range(world):
    case = make_case(world)
    by = world.user("caseworker")
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.assessment_record(case=case, assessed_on=today, scores={"housing": (3, "")}, by=by)
    with pytest.raises(ValidationError):
        services.assessment_record(
            case=case, assessed_on=today, scores={**ALL_SCORES, "work": (6, "")}, by=by
        )
    services.assessment_record(
        case=case, assessed_on=today - datetime.timedelta(days=60), scores=ALL_SCORES, by=by
    )
    services.assessment_record(
        case=case, assessed_on=today, scores={**ALL_SCORES, "housing": (5, "flat")}, by=by
    )
    progress = selectors.assessment_progress(selectors.case_assessments(case))
    housing = next(p for p in progress if p["domain"] == "housing")
    assert [score for _, score in housing["points"]] == [3, 5]


def test_plan_approval_flow(world):
    case = make_case(world)
    worker, coordinator = world.user("caseworker"), world.user("coordinator")
    with pytest.raises(ValidationError):
        services.plan_request_approval(case=case, by=worker)
    goal = services.goal_add(case=case, domain="work", title="Job", by=worker)
    services.plan_request_approval(case=case, by=worker)
    with pytest.raises(PermissionDenied):
        services.plan_decide(case=case, approve=True, by=worker)
    with pytest.raises(ValidationError):
        services.plan_decide(case=case, approve=False, comment=" ", by=coordinator)
    services.plan_decide(case=case, approve=False, comment="Add a date.", by=coordinator)
    assert case.plan_status == "returned"
    services.goal_update(
        goal=goal, by=worker, version=goal.version, target_date=timezone.localdate()
    )
    services.plan_request_approval(case=case, by=worker)
    services.plan_decide(case=case, approve=True, by=coordinator)
    case.refresh_from_db()
    assert case.plan_status == "approved" and case.plan_decided_by == coordinator
    services.goal_add(case=case, domain="housing", title="Flat", by=worker)
    case.refresh_from_db()
    assert case.plan_status == "draft"  # a changed plan needs approval again


def test_plan_needs_a_second_pair_of_eyes_unless_there_is_one_coordinator(world):
    from mosty.access.models import AuditEvent

    coordinator = world.user("coordinator")
    case = make_case(world, lead=coordinator)
    services.goal_add(case=case, domain="work", title="Job", by=coordinator)
    services.plan_request_approval(case=case, by=coordinator)
    # The organisation has a second coordinator: the author may not approve their own plan.
    second = UserFactory(email="second.coordinator@example.org")
    MembershipFactory(user=second, organisation=world.org_a, role="coordinator")
    assert not can(coordinator, "case.plan_approve", case)
    with pytest.raises(PermissionDenied):
        services.plan_decide(case=case, approve=True, by=coordinator)
    services.plan_decide(case=case, approve=True, by=second)
    case.refresh_from_db()
    assert case.plan_decided_by == second and not case.plan_self_approved

    # Alone in the organisation, the coordinator approves, recorded as self-approved.
    case = make_case(world, lead=coordinator)
    services.goal_add(case=case, domain="work", title="Job", by=coordinator)
    services.plan_request_approval(case=case, by=coordinator)
    second.memberships.update(is_active=False)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # roles read afresh
    services.plan_decide(case=case, approve=True, by=coordinator)
    case.refresh_from_db()
    assert case.plan_status == "approved" and case.plan_self_approved
    assert AuditEvent.objects.filter(
        action="mosty.case.plan.self_approved", object_id=str(case.pk)
    ).exists()


def test_task_assignees(world):
    case = make_case(world)
    goal = make_goal(case)
    worker = world.user("caseworker")
    with pytest.raises(ValidationError):
        services.task_add(
            goal=goal,
            title="x",
            assignee_kind="staff",
            assignee_user=world.user("coordinator"),
            by=worker,
        )
    with pytest.raises(ValidationError):
        services.task_add(
            goal=goal, title="x", assignee_kind="mentor", assignee_user=worker, by=worker
        )
    services.task_add(
        goal=goal,
        title="Walk",
        assignee_kind="mentor",
        assignee_user=world.user("mentor"),
        by=worker,
    )
    with pytest.raises(ValidationError):
        services.task_add(goal=goal, title="x", assignee_kind="partner", by=worker)
    task = services.task_add(
        goal=goal,
        title="Flat viewing",
        assignee_kind="partner",
        assignee_organisation=world.org_b,
        by=worker,
    )
    assert task.assignee_user is None


def test_reminder_mails_the_assignee_once(world, django_capture_on_commit_callbacks):
    goal = make_goal(make_case(world))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.task_add(
            goal=goal,
            title="Bring the passport",
            assignee_kind="staff",
            assignee_user=world.user("caseworker"),
            due_date=timezone.localdate() + datetime.timedelta(days=1),
            by=world.user("caseworker"),
        )
    assert callbacks  # the reminder is enqueued on commit
    task = Task.objects.get(title="Bring the passport")
    assert task_remind.call(task.pk) is True
    assert task_remind.call(task.pk) is False
    assert len(mail.outbox) == 1 and "Bring the passport" in mail.outbox[0].body


def test_caseworker_sees_only_team_cases_coordinator_all_admin_none(world):
    mine = make_case(world)
    other_worker = UserFactory()
    MembershipFactory(user=other_worker, organisation=world.org_a, role="caseworker")
    theirs = make_case(world, lead=other_worker)
    member_of = make_case(world, lead=other_worker, members=[world.user("caseworker")])
    worker = world.user("caseworker")
    assert set(visible_cases(worker)) == {mine, member_of}
    assert set(visible_cases(world.user("coordinator"))) == {mine, theirs, member_of}
    assert not visible_cases(world.user("admin")).exists()
    assert not visible_cases(world.user("coordinator", "b")).exists()
    # Participant visibility follows the team.
    assert theirs.participant not in visible_participants(worker) or (
        theirs.participant.created_by_id == worker.pk
    )
    assert member_of.participant in visible_participants(worker)


def test_my_team_cases_are_those_led_or_joined_in_casework_organisations(world):
    worker = world.user("caseworker")
    other_worker = UserFactory()
    MembershipFactory(user=other_worker, organisation=world.org_a, role="caseworker")
    led = make_case(world)
    joined = make_case(world, lead=other_worker, members=[worker])
    both = make_case(world, members=[worker])
    make_case(world, lead=other_worker)
    # Led in an organisation where the user no longer does casework: not theirs to work on.
    make_case(world, org="b", lead=worker)
    assert sorted(c.pk for c in my_team_cases(worker)) == sorted([led.pk, joined.pk, both.pk])
    assert my_team_cases(worker).filter(pk=both.pk).count() == 1
    assert set(my_team_cases(worker)) <= set(visible_cases(worker))


def test_referral_needs_consent(world):
    case = make_case(world, participant=make_participant(world, consents=("case_management",)))
    with pytest.raises(ValidationError) as exc:
        services.referral_send(
            case=case,
            to_organisation=world.org_b,
            domain="housing",
            shared_fields=["first_name"],
            message="Flat",
            by=world.user("caseworker"),
        )
    assert exc.value.code == "consent_missing"


def test_referral_closed_loop_and_nothing_leaks(world):
    case = make_case(world)
    make_note(case, body="Secret note")
    partner = world.user("caseworker", "b")
    referral = services.referral_send(
        case=case,
        to_organisation=world.org_b,
        domain="housing",
        shared_fields=["first_name", "birth_year"],
        message="Flat search",
        by=world.user("caseworker"),
    )
    assert not can(partner, "referral.view_shared", referral)
    assert not visible_cases(partner).exists()
    assert case.participant not in visible_participants(partner)
    with pytest.raises(ValidationError):
        services.referral_decline(referral=referral, by=partner, reason="")
    with pytest.raises(PermissionDenied):
        services.referral_accept(referral=referral, by=world.user("caseworker"))
    services.referral_accept(referral=referral, by=partner)
    assert can(partner, "referral.view_shared", referral)
    shared = dict(selectors.referral_shared_data(referral))
    assert set(shared) == {SharedField.FIRST_NAME.label, SharedField.BIRTH_YEAR.label}
    assert case.participant.phone not in shared.values()
    # Still no case, notes or participant record for the partner.
    assert not visible_cases(partner).exists()
    assert not can(partner, "case.view", case)
    assert case.participant not in visible_participants(partner)
    services.referral_complete(referral=referral, by=partner, outcome="Flat found")
    assert referral.status == ReferralStatus.COMPLETED
    history = [e.status for e in selectors.referral_history(referral)]
    assert history == ["sent", "accepted", "completed"]
    # Another organisation sees nothing at all.
    third = UserFactory()
    MembershipFactory(user=third, organisation=OrganisationFactory(), role="coordinator")
    assert not selectors.visible_referrals(third).exists()


def test_restricted_notes(world):
    coordinator = world.user("coordinator")
    case = make_case(world, members=[coordinator])
    restricted = make_note(case, body="Therapy", visibility="restricted")
    team = make_note(case, body="Called")
    assert set(selectors.note_list(case=case, fetched_by=case.lead)) == {restricted, team}
    assert set(selectors.note_list(case=case, fetched_by=coordinator)) == {team}
    assert not can(coordinator, "note.view", restricted)
    # The grant in another organisation opens nothing here.
    other = grant(world.user("coordinator", "b"), Grant.VIEW_SENSITIVE, world.org_b)
    assert not can(other, "note.view", restricted)
    coordinator = grant(coordinator, Grant.VIEW_SENSITIVE, world.org_a)
    assert can(coordinator, "note.view", restricted)
    assert set(selectors.note_list(case=case, fetched_by=coordinator)) == {restricted, team}


def test_note_and_support_log(world):
    case = make_case(world)
    by = world.user("caseworker")
    with pytest.raises(ValidationError):
        services.note_add(case=case, body="  ", by=by)
    services.note_add(case=case, body="First meeting", by=by)
    assert Note.objects.get(case=case).body == "First meeting"
    with pytest.raises(ValidationError):
        services.support_log_add(
            case=case, kind="legal", minutes=0, happened_on=timezone.localdate(), by=by
        )
    log = services.support_log_add(
        case=case, kind="legal", minutes=45, happened_on=timezone.localdate(), summary="Card", by=by
    )
    assert log.summary == "Card"


def test_dashboard(world):
    worker = world.user("caseworker")
    case = make_case(world, review_date=timezone.localdate() + datetime.timedelta(days=3))
    make_task(make_goal(case), due_date=timezone.localdate() - datetime.timedelta(days=1))
    data = selectors.dashboard(fetched_by=worker)
    assert data["my_cases"] == [case] and data["my_cases"][0].overdue
    assert len(data["overdue_tasks"]) == 1 and data["reviews"] == [case]
    assert selectors.dashboard_counts(fetched_by=worker)["overdue_count"] == 1


def test_gdpr_export_erase_and_retention(world):
    from django.test import override_settings

    from mosty.people import gdpr

    case = make_case(world)
    make_note(case, body="Private words")
    make_task(make_goal(case), title="Call Olena's landlord")
    make_referral(case)
    by = world.user("coordinator")
    data = gdpr.export_participant(case.participant, by=by)
    assert data["cases"][0]["notes"][0]["text"] == "Private words"
    assert data["cases"][0]["goals"][0]["tasks"][0]["title"] == "Call Olena's landlord"
    # An open case keeps the participant out of retention.
    old = timezone.now() - datetime.timedelta(days=4000)
    type(case.participant).objects.filter(pk=case.participant.pk).update(created_at=old)
    with override_settings(MOSTY_RETENTION_DAYS=30):
        assert case.participant.pk not in gdpr.retention_due()
        Case = type(case)
        Case.objects.filter(pk=case.pk).update(
            status="closed", closed_at=old, closure_reason="other"
        )
        assert case.participant.pk in gdpr.retention_due()
    gdpr.anonymise_participant(case.participant, by=by)
    note = Note.objects.get(case=case)
    assert note.body == ""
    assert Task.objects.get(goal__case=case).title == "—"
    assert Note.objects.filter(case=case).count() == 1  # counts survive


def test_referral_to_a_directory_service_goes_to_the_organisation_running_it(world):
    from tests.directory.factories import ServiceFactory

    case = make_case(world)
    service = ServiceFactory(organisation=world.org_b, name="Porady prawne")
    referral = services.referral_send(
        case=case,
        to_service=service,
        domain="legal",
        shared_fields=["first_name"],
        message="Legal advice on a residence card",
        by=world.user("caseworker"),
    )
    assert referral.to_organisation == world.org_b
    assert referral.to_service == service
    # The partner answers it like any referral to their organisation.
    services.referral_accept(referral=referral, by=world.user("caseworker", "b"))
    # A service and an organisation that do not belong together are refused on the service field.
    other = OrganisationFactory()
    with pytest.raises(ValidationError) as exc:
        services.referral_send(
            case=case,
            to_organisation=other,
            to_service=service,
            domain="legal",
            shared_fields=[],
            message="x",
            by=world.user("caseworker"),
        )
    assert "to_service" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.referral_send(
            case=case, domain="legal", shared_fields=[], message="x", by=world.user("caseworker")
        )
    assert "to_organisation" in exc.value.message_dict


def test_referral_form_offers_directory_services(world, login):
    from tests.directory.factories import ServiceFactory

    case = make_case(world, lead=world.user("caseworker"))
    service = ServiceFactory(organisation=world.org_b, name="Psycholog dla dzieci")
    client = login("caseworker")
    url = f"/en/cases/{case.pk}/referrals/new/"
    page = client.get(url)
    assert page.status_code == 200, url
    assert "Psycholog dla dzieci" in page.content.decode()
    response = client.post(url, {"domain": "health", "message": "Please help", "shared_fields": []})
    assert response.status_code == 200
    assert 'id="id_to_organisation_errors"' in response.content.decode()
    response = client.post(
        url, {"to_service": service.pk, "domain": "health", "message": "Please help"}
    )
    assert response.status_code == 302
    referral = case.referrals.get()
    assert referral.to_service == service
    # The sender lands on the referral they sent, to follow its answer.
    assert response["Location"] == f"/en/cases/referrals/{referral.pk}/"


def test_referral_form_lists_only_services_matching_the_words_typed(world, login):
    """With more services than a select can list, the form shows the first ones and a search
    box; "Find" (or htmx as one types) lists the matches, keeps what was typed, saves nothing,
    and any service can still be chosen."""
    from mosty.core.forms import SEARCH_SHOWN
    from tests.directory.factories import ServiceFactory

    case = make_case(world, lead=world.user("caseworker"))
    for i in range(SEARCH_SHOWN + 5):
        ServiceFactory(organisation=world.org_b, name=f"Kurs polskiego {i:03}")
    wanted = ServiceFactory(organisation=world.org_b, name="Zzz psycholog dla dzieci")
    client = login("caseworker")
    url = f"/en/cases/{case.pk}/referrals/new/"

    page = client.get(url).content.decode()
    assert "Zzz psycholog" not in page  # beyond the first SEARCH_SHOWN
    assert f"{SEARCH_SHOWN} of {SEARCH_SHOWN + 6} shown" in page

    found = client.post(
        url,
        {"_search": "to_service", "to_service__q": "psycholog", "message": "Please help"},
    )
    html = found.content.decode()
    assert found.status_code == 200 and "Zzz psycholog dla dzieci" in html
    assert "Kurs polskiego 000" not in html and "Please help" in html
    assert "is-invalid" not in html and not case.referrals.exists()

    # A choice outside the listed ones is still accepted: the list narrows display only.
    saved = client.post(
        url, {"to_service": wanted.pk, "domain": "health", "message": "Please help"}
    )
    assert saved.status_code == 302 and case.referrals.get().to_service == wanted
