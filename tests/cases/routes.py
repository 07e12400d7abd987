from tests.access_matrix import Route
from tests.cases.factories import (
    make_case,
    make_goal,
    make_participant,
    make_referral,
    make_task,
)
from tests.factories import OrganisationFactory

CASE_STAFF = frozenset({"coordinator", "caseworker"})
COORDINATOR = frozenset({"coordinator"})


def _case(w):
    return {"pk": make_case(w).pk}


def _goal(w):
    return {"pk": make_goal(make_case(w)).pk}


def _task(w):
    return {"pk": make_task(make_goal(make_case(w))).pk}


def _mentor_task(w):
    """A task of an organisation A case, given to organisation A's mentor."""
    return {
        "pk": make_task(
            make_goal(make_case(w)), assignee_kind="mentor", assignee_user=w.user("mentor")
        ).pk
    }


def _goal_case(w):
    case = make_case(w)
    make_goal(case)
    return {"pk": case.pk}


def _requested_plan(w):
    case = make_case(w, plan_status="requested")
    make_goal(case)
    return {"pk": case.pk}


def _outgoing_referral(w):
    """Sent from a case of organisation A to a third organisation."""
    return {"pk": make_referral(make_case(w)).pk}


def _incoming_referral(status="sent"):
    """Sent from a third organisation's case to organisation A."""

    def build(w):
        other = OrganisationFactory()
        w.org_c = other
        from django.utils import timezone

        from mosty.cases.models import Case

        participant = make_participant(w, "b")
        participant.owner = other
        participant.save()
        case = Case.objects.create(
            organisation=other,
            participant=participant,
            lead=w.user("caseworker", "b"),
            opened_on=timezone.localdate(),
        )
        return {"pk": make_referral(case, to=w.org_a, status=status).pk}

    return build


def _api_case_create(w):
    participant = make_participant(w)
    return {
        "organisation": w.org_a.pk,
        "participant": participant.pk,
        "lead": w.user("caseworker").pk,
    }


ROUTES = [
    Route("cases:list", reads_personal=True, allowed=CASE_STAFF, org_scoped=False),
    Route("cases:dashboard", reads_personal=True, allowed=CASE_STAFF, org_scoped=False),
    Route("cases:create", allowed=CASE_STAFF, org_scoped=False),
    Route("cases:detail", reads_personal=True, allowed=CASE_STAFF, kwargs=_case),
    Route("cases:edit", reads_personal=True, allowed=CASE_STAFF, kwargs=_case),
    Route("cases:status", allowed=CASE_STAFF, kwargs=_case),
    Route("cases:assessment_create", allowed=CASE_STAFF, kwargs=_case),
    Route("cases:progress", reads_personal=True, allowed=CASE_STAFF, kwargs=_case),
    Route("cases:goal_create", allowed=CASE_STAFF, kwargs=_case),
    Route("cases:goal_edit", allowed=CASE_STAFF, kwargs=_goal),
    Route("cases:task_create", allowed=CASE_STAFF, kwargs=_goal),
    Route(
        "cases:task_status",
        allowed=CASE_STAFF,
        kwargs=_task,
        method="post",
        data=lambda w: {"status": "done"},
        ok=(302,),
    ),
    Route(
        "cases:task_done",
        allowed=CASE_STAFF | {"mentor"},
        kwargs=_mentor_task,
        method="post",
        ok=(302,),
    ),
    Route("cases:task_delete", allowed=CASE_STAFF, kwargs=_task),
    Route("cases:plan_request", allowed=CASE_STAFF, kwargs=_goal_case, method="post", ok=(302,)),
    Route("cases:plan_decide", allowed=COORDINATOR, kwargs=_requested_plan),
    Route("cases:referral_create", allowed=CASE_STAFF, kwargs=_case),
    Route("cases:note_list", reads_personal=True, allowed=CASE_STAFF, kwargs=_case),
    Route("cases:note_create", allowed=CASE_STAFF, kwargs=_case),
    Route("cases:support_create", allowed=CASE_STAFF, kwargs=_case),
    Route("cases:referral_list", allowed=CASE_STAFF, org_scoped=False),
    Route(
        "cases:referral_detail", reads_personal=True, allowed=CASE_STAFF, kwargs=_outgoing_referral
    ),
    Route(
        "cases:referral_accept",
        allowed=CASE_STAFF,
        kwargs=_incoming_referral(),
        method="post",
        ok=(302,),
    ),
    Route(
        "cases:referral_decline",
        allowed=CASE_STAFF,
        kwargs=_incoming_referral(),
        method="post",
        data=lambda w: {"reason": "No places."},
        ok=(302,),
    ),
    Route(
        "cases:referral_complete",
        allowed=CASE_STAFF,
        kwargs=_incoming_referral("accepted"),
        method="post",
        data=lambda w: {"outcome": "Found a flat."},
        ok=(302,),
    ),
    Route(
        "cases:referral_withdraw",
        allowed=CASE_STAFF,
        kwargs=_outgoing_referral,
        method="post",
        data=lambda w: {"reason": "Not needed."},
        ok=(302,),
    ),
    # API
    Route("api:case_list", reads_personal=True, allowed=CASE_STAFF, org_scoped=False, api=True),
    Route(
        "api:case_create",
        allowed=CASE_STAFF,
        method="post",
        data=_api_case_create,
        api=True,
        ok=(201,),
    ),
    Route("api:case_detail", reads_personal=True, allowed=CASE_STAFF, kwargs=_case, api=True),
    Route(
        "api:case_status",
        allowed=CASE_STAFF,
        kwargs=_case,
        method="post",
        data=lambda w: {"status": "active", "version": 1},
        api=True,
    ),
    Route("api:case_assessments", reads_personal=True, allowed=CASE_STAFF, kwargs=_case, api=True),
    Route(
        "api:case_assessment_create",
        allowed=CASE_STAFF,
        kwargs=_case,
        method="post",
        data=lambda w: {
            "assessed_on": "2025-01-10",
            "scores": [
                {"domain": d, "score": 3, "comment": ""}
                for d in (
                    "housing income work polish education health wellbeing legal "
                    "social_network daily_life schooling community"
                ).split()
            ],
        },
        api=True,
        ok=(201,),
    ),
    Route("api:case_plan", reads_personal=True, allowed=CASE_STAFF, kwargs=_case, api=True),
    Route(
        "api:case_plan_decide",
        allowed=COORDINATOR,
        kwargs=_requested_plan,
        method="post",
        data=lambda w: {"decision": "approve"},
        api=True,
    ),
    Route(
        "api:case_goal_create",
        allowed=CASE_STAFF,
        kwargs=_case,
        method="post",
        data=lambda w: {"domain": "work", "title": "Find a job"},
        api=True,
        ok=(201,),
    ),
    Route(
        "api:case_task_create",
        allowed=CASE_STAFF,
        kwargs=_goal,
        method="post",
        data=lambda w: {
            "title": "CV",
            "assignee_kind": "staff",
            "assignee_user": w.user("caseworker").pk,
        },
        api=True,
        ok=(201,),
    ),
    Route(
        "api:case_referral_create",
        allowed=CASE_STAFF,
        kwargs=_case,
        method="post",
        data=lambda w: {
            "to_organisation": w.org_b.pk,
            "domain": "housing",
            "shared_fields": ["first_name"],
            "message": "Please help.",
        },
        api=True,
        ok=(201,),
    ),
    Route("api:case_notes", reads_personal=True, allowed=CASE_STAFF, kwargs=_case, api=True),
    Route(
        "api:case_note_create",
        allowed=CASE_STAFF,
        kwargs=_case,
        method="post",
        data=lambda w: {"body": "Called."},
        api=True,
        ok=(201,),
    ),
    Route(
        "api:case_task_status",
        allowed=CASE_STAFF,
        kwargs=_task,
        method="post",
        data=lambda w: {"status": "done"},
        api=True,
    ),
    Route("api:case_support", reads_personal=True, allowed=CASE_STAFF, kwargs=_case, api=True),
    Route(
        "api:case_support_create",
        allowed=CASE_STAFF,
        kwargs=_case,
        method="post",
        data=lambda w: {"kind": "legal", "happened_on": "2025-01-10", "minutes": 30},
        api=True,
        ok=(201,),
    ),
    Route("api:referral_list", allowed=CASE_STAFF, org_scoped=False, api=True),
    Route(
        "api:referral_detail",
        reads_personal=True,
        allowed=CASE_STAFF,
        kwargs=_outgoing_referral,
        api=True,
    ),
    Route(
        "api:referral_respond",
        allowed=CASE_STAFF,
        kwargs=_incoming_referral(),
        method="post",
        data=lambda w: {"action": "accept"},
        api=True,
    ),
]
