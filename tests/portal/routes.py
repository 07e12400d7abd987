"""Every portal route: the participant's own pages (a second participant, linked to their own
record in organisation B, gets 404 for anything of A's), the join page, and the staff pages."""

from mosty.people.models import Consent
from tests.access_matrix import Route
from tests.cases.factories import make_participant
from tests.portal.factories import help_request, link, task_report, with_plan

OWN = frozenset({"participant"})
PEOPLE = frozenset({"coordinator", "caseworker"})


def _linked(world):
    link(world, "a")
    return {}


def _task(world):
    task = with_plan(world, "a")
    link(world, "b")  # the second participant has a portal of their own: still a 404
    return {"pk": task.pk}


def _consent(world):
    participant = link(world, "a")
    link(world, "b")
    consent = Consent.objects.get(participant=participant, purpose="portal")
    return {"pk": consent.pk}


def _invitee(world):
    return {"pk": make_participant(world, "a", email="olena@example.org").pk}


def _help(world):
    return {"pk": help_request(world, "a").pk}


def _report(world):
    return {"pk": task_report(world, "a").pk}


def _booklet(world):
    """A booklet for newcomers printed in A's participant's language (B's participant, in
    the same language, may download it too: booklets are nobody's personal data)."""
    from django.core.files.base import ContentFile

    from mosty.knowledge import services
    from mosty.knowledge.models import BookletExport, ExportStatus
    from tests.knowledge.factories import article

    link(world, "a")
    language = world.user("participant", "a").language
    booklet = services.booklet_create(
        title="Informator", articles=[article()], by=world.user("coordinator")
    )
    export = BookletExport(booklet=booklet, language=language, status=ExportStatus.DONE)
    export.pdf.save("informator.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    export.save()
    return {"pk": export.pk}


ROUTES = [
    Route("portal:home", allowed=OWN, kwargs=_linked, reads_personal=True),
    Route("portal:plan", allowed=OWN, kwargs=_linked, reads_personal=True),
    Route("portal:referrals", allowed=OWN, kwargs=_linked),
    Route("portal:registrations", allowed=OWN, kwargs=_linked),
    Route("portal:consents", allowed=OWN, kwargs=_linked, reads_personal=True),
    Route("portal:data", allowed=OWN, kwargs=_linked, reads_personal=True),
    Route("portal:help", allowed=OWN, kwargs=_linked),
    Route("portal:documents", allowed=OWN, kwargs=_linked, reads_personal=True),
    Route(
        "portal:booklet",
        allowed=OWN,
        kwargs=_booklet,
        org_scoped=False,
        note="a booklet for newcomers is for every participant with a portal account",
    ),
    Route(
        "portal:task_done",
        allowed=OWN,
        kwargs=_task,
        denied=(404,),
        note="another participant's task, staff's and B's participant alike: 404",
    ),
    Route(
        "portal:consent_withdraw",
        allowed=OWN,
        method="post",
        kwargs=_consent,
        data=lambda w: {"confirm": "yes"},
        ok=(302,),
        denied=(404,),
        note="only one's own consent; anyone else's is a 404",
    ),
    Route(
        "portal:join",
        public=True,
        allowed=frozenset({"*"}),
        ok=(200, 302),
        note="the form for visitors; a signed-in user is sent to their page",
    ),
    Route(
        "portal:join_code",
        public=True,
        allowed=frozenset({"*"}),
        kwargs=lambda w: {"code": "ABCD-EFGH-JK"},
        ok=(200, 302),
        note="the form, with the code of the e-mail link filled in",
    ),
    Route(
        "portal:invite",
        allowed=PEOPLE,
        kwargs=_invitee,
        reads_personal=True,
    ),
    Route(
        "portal:help_list",
        allowed=PEOPLE,
        org_scoped=False,
        reads_personal=True,
        kwargs=lambda w: {} if help_request(w, "a") else {},
        note="a list: staff of B see their own organisation's requests only",
    ),
    Route(
        "portal:help_reply",
        allowed=PEOPLE,
        kwargs=_help,
        reads_personal=True,
        note="the request's text beside the answer's form",
    ),
    Route(
        "portal:help_handle",
        allowed=PEOPLE,
        method="post",
        kwargs=_help,
        ok=(302,),
    ),
    Route(
        "portal:task_report_list",
        allowed=PEOPLE,
        org_scoped=False,
        reads_personal=True,
        kwargs=lambda w: {} if task_report(w, "a") else {},
        note="a list: staff of B see their own organisation's cases' reports only",
    ),
    Route(
        "portal:task_report_read",
        allowed=PEOPLE,
        method="post",
        kwargs=_report,
        ok=(302,),
        note="the case team of A; B's staff cannot see A's case: 404",
    ),
    # API (staff)
    Route(
        "api:help_request_list",
        allowed=PEOPLE,
        api=True,
        org_scoped=False,
        reads_personal=True,
        kwargs=lambda w: {} if help_request(w, "a") else {},
        note="a list: staff of B see their own organisation's requests only",
    ),
    Route(
        "api:help_request_reply",
        allowed=PEOPLE,
        api=True,
        method="post",
        kwargs=_help,
        data=lambda w: {
            "reply": "Przychodnia przy ul. Długiej 5 ma lekarza mówiącego po ukraińsku."
        },
    ),
    Route(
        "api:help_request_handle",
        allowed=PEOPLE,
        api=True,
        method="post",
        kwargs=_help,
    ),
    Route(
        "api:task_report_list",
        allowed=PEOPLE,
        api=True,
        org_scoped=False,
        reads_personal=True,
        kwargs=lambda w: {} if task_report(w, "a") else {},
        note="a list: staff of B see their own organisation's cases' reports only",
    ),
    Route(
        "api:task_report_read",
        allowed=PEOPLE,
        api=True,
        method="post",
        kwargs=_report,
    ),
]
