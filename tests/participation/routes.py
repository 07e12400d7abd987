from datetime import date

from mosty.participation.models import (
    AlertSubscription,
    CallDocument,
    GroupDocument,
    GroupMeeting,
    GroupMember,
)
from mosty.participation.tokens import confirm_token, unsubscribe_token
from tests.access_matrix import Route
from tests.participation.factories import (
    make_call,
    make_consultation,
    make_group,
    make_idea,
    make_policy_document,
    make_programme,
)

COORDINATOR = frozenset({"coordinator"})


def _programme_pk(world):
    return {"pk": make_programme(world.org_a).pk}


def _unpublished_programme_pk(world):
    """Unpublished: only members of org A see it; org B gets 404."""
    return {"pk": make_programme(world.org_a, published=False).pk}


def _call_pk(world):
    return {"pk": make_call(make_programme(world.org_a)).pk}


def _subscription(world):
    return AlertSubscription.objects.create(email="visitor@example.org", language="uk")


STAFF = frozenset({"coordinator", "caseworker"})
IDEA_READERS = frozenset({"coordinator", "caseworker", "mentor", "assistant", "participant"})


def _idea_pk(world):
    return {"pk": make_idea(world).pk}


def _submitted_idea_pk(world):
    return {"pk": make_idea(world, status="submitted").pk}


def _idea_list(world):
    """An idea of org A given to A's assistant: the list shows it to staff and the assistant."""
    make_idea(world, supporter=world.user("assistant"))
    return {}


def _response_pk(world):
    return {
        "pk": make_idea(
            world, kind="response", call=make_consultation(world), status="submitted"
        ).pk
    }


def _consultation_with_response(world):
    call = make_consultation(world)
    make_idea(world, kind="response", call=call, status="submitted")
    return {"pk": call.pk}


def _document_pk(world):
    call = make_consultation(world)
    return {
        "pk": CallDocument.objects.create(
            call=call, title="Projekt", url="https://example.org/p.pdf"
        ).pk
    }


def _group_pk(world):
    return {"pk": make_group(world).pk}


def _cooperative_pk(world):
    return {"pk": make_group(world, kind="cooperative").pk}


def _group_document_pk(world):
    group = make_group(world)
    return {
        "pk": GroupDocument.objects.create(
            group=group, title="Statut", url="https://example.org/s"
        ).pk
    }


def _policy_pk(world):
    return {"pk": make_policy_document(make_group(world)).pk}


def _policy_point(world):
    document = make_policy_document(make_group(world))
    return {"pk": document.pk, "point": document.points.first().pk}


def _policy_section(world):
    """A1's caseworker is a member of the group (a group role, not an organisation one)."""
    group = make_group(world)
    GroupMember.objects.create(
        group=group, user=world.user("caseworker"), role="member", starts_on=date(2020, 1, 1)
    )
    return {"pk": make_policy_document(group).pk, "number": 1}


def _member_pk(world):
    group = make_group(world)
    member = GroupMember.objects.create(
        group=group, user=world.user("mentor"), role="member", starts_on=date(2020, 1, 1)
    )
    return {"pk": member.pk}


def _meeting_pk(world):
    meeting = GroupMeeting.objects.create(group=make_group(world), date=date(2026, 1, 10))
    return {"pk": meeting.pk}


def _academy_course_pk(world):
    from tests.events.factories import make_event

    return {"pk": make_event(world.org_a, kind="academy", is_public=False).pk}


# Group pages: the host organisation's coordinator in these checks (a group's leaders and
# members hold no organisation role for it; tests/participation/test_groups.py covers them).
ROUTES = [
    # Public pages.
    Route("participation:programme_list", public=True, allowed=frozenset({"*"})),
    Route(
        "participation:programme_detail",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=_programme_pk,
    ),
    Route("participation:call_list", public=True, allowed=frozenset({"*"})),
    Route("participation:call_detail", public=True, allowed=frozenset({"*"}), kwargs=_call_pk),
    Route("participation:alert_subscribe", public=True, allowed=frozenset({"*"})),
    Route(
        "participation:alert_confirm",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=lambda w: {"token": confirm_token(_subscription(w))},
    ),
    Route(
        "participation:alert_unsubscribe",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=lambda w: {"token": unsubscribe_token(_subscription(w))},
    ),
    # Organisers.
    Route("participation:manage", allowed=COORDINATOR, org_scoped=False),
    Route("participation:programme_create", allowed=COORDINATOR, org_scoped=False),
    Route("participation:programme_edit", allowed=COORDINATOR, kwargs=_unpublished_programme_pk),
    Route("participation:call_create", allowed=COORDINATOR, kwargs=_programme_pk),
    Route("participation:call_edit", allowed=COORDINATOR, kwargs=_call_pk),
    # Consultations.
    Route(
        "participation:call_document",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=_document_pk,
        ok=(302,),
        note="a linked document redirects to its page",
    ),
    Route("participation:call_document_add", allowed=COORDINATOR, kwargs=_call_pk),
    Route(
        "participation:call_responses",
        allowed=COORDINATOR,
        kwargs=_consultation_with_response,
        reads_personal=True,
    ),
    Route(
        "participation:idea_answer",
        allowed=COORDINATOR,
        method="post",
        kwargs=_response_pk,
        data=lambda w: {"answer": "Uwzględniono w rozdziale 3."},
        ok=(302,),
        note="the consultation organiser's coordinator; the supporting caseworker sees it but may not answer",
    ),
    # Ideas.
    Route(
        "participation:idea_list",
        allowed=IDEA_READERS,
        org_scoped=False,
        kwargs=_idea_list,
        reads_personal=True,
    ),
    Route(
        "participation:idea_create",
        allowed=frozenset({"coordinator", "caseworker", "participant"}),
        org_scoped=False,
    ),
    Route("participation:idea_detail", allowed=STAFF, kwargs=_idea_pk, reads_personal=True),
    Route("participation:idea_edit", allowed=STAFF, kwargs=_idea_pk, reads_personal=True),
    Route("participation:idea_submit", allowed=STAFF, method="post", kwargs=_idea_pk, ok=(302,)),
    Route("participation:idea_withdraw", allowed=STAFF, method="post", kwargs=_idea_pk, ok=(302,)),
    Route(
        "participation:idea_result",
        allowed=STAFF,
        method="post",
        kwargs=_submitted_idea_pk,
        data=lambda w: {"result": "selected"},
        ok=(302,),
    ),
    Route(
        "participation:idea_assign",
        allowed=COORDINATOR,
        method="post",
        kwargs=_idea_pk,
        data=lambda w: {"supporter": w.user("mentor").pk},
        ok=(302,),
    ),
    Route(
        "participation:idea_support",
        allowed=STAFF,
        method="post",
        kwargs=_idea_pk,
        data=lambda w: {"date": "2026-01-05", "hours": "1.5"},
        ok=(302,),
    ),
    # API.
    Route("api:participation_programme_list", public=True, allowed=frozenset({"*"}), api=True),
    Route(
        "api:participation_programme_detail",
        public=True,
        allowed=frozenset({"*"}),
        api=True,
        kwargs=_programme_pk,
    ),
    Route("api:participation_call_list", public=True, allowed=frozenset({"*"}), api=True),
    Route(
        "api:participation_idea_list",
        allowed=IDEA_READERS,
        api=True,
        org_scoped=False,
        kwargs=_idea_list,
        reads_personal=True,
    ),
    Route(
        "api:participation_idea_detail",
        allowed=STAFF,
        api=True,
        kwargs=_idea_pk,
        reads_personal=True,
    ),
    # Groups.
    Route("participation:group_list", allowed=COORDINATOR, org_scoped=False),
    Route("participation:group_create", allowed=COORDINATOR, org_scoped=False),
    Route("participation:group_detail", allowed=COORDINATOR, kwargs=_group_pk),
    Route("participation:group_edit", allowed=COORDINATOR, kwargs=_group_pk),
    Route("participation:group_member_add", allowed=COORDINATOR, kwargs=_group_pk),
    Route("participation:group_member_edit", allowed=COORDINATOR, kwargs=_member_pk),
    Route("participation:group_meeting_edit", allowed=COORDINATOR, kwargs=_meeting_pk),
    Route("participation:group_meeting_add", allowed=COORDINATOR, kwargs=_group_pk),
    Route("participation:group_document_add", allowed=COORDINATOR, kwargs=_group_pk),
    Route(
        "participation:group_document",
        allowed=COORDINATOR,
        kwargs=_group_document_pk,
        ok=(302,),
        note="a linked document redirects to its page",
    ),
    Route("participation:milestone_record", allowed=COORDINATOR, kwargs=_cooperative_pk),
    Route("participation:policy_document_create", allowed=COORDINATOR, kwargs=_group_pk),
    Route("participation:policy_document", allowed=COORDINATOR, kwargs=_policy_pk),
    Route(
        "participation:section_comment",
        allowed=frozenset({"caseworker"}),
        method="post",
        kwargs=_policy_section,
        data=lambda w: {"text": "Zgoda."},
        ok=(302,),
        note="group members only (A's caseworker is one here); the host coordinator is not",
    ),
    Route(
        "participation:opinion_point_adopt",
        allowed=COORDINATOR,
        method="post",
        kwargs=_policy_pk,
        data=lambda w: {"text": "Więcej kursów.", "section": "1"},
        ok=(302,),
    ),
    Route(
        "participation:opinion_point_respond",
        allowed=COORDINATOR,
        method="post",
        kwargs=_policy_point,
        data=lambda w: {"response": "partly", "reason": "Budżet."},
        ok=(302,),
    ),
    Route("participation:group_public", public=True, allowed=frozenset({"*"}), kwargs=_group_pk),
    Route("participation:policy_results", public=True, allowed=frozenset({"*"}), kwargs=_policy_pk),
    # The academy: counts about a course's participants, for staff who see the course (an
    # internal course here, so B's staff get 404; a public one shows them suppressed counts).
    Route("participation:academy_outcomes", allowed=STAFF, kwargs=_academy_course_pk),
]
