"""Access-matrix entries of the people module (pages and API)."""

from tests.access_matrix import Route
from tests.people.factories import ConsentFactory, ParticipantFactory

STAFF = frozenset({"coordinator", "caseworker"})
COORDINATOR = frozenset({"coordinator"})


def _participant(world):
    """A participant of organisation A registered by A's caseworker (so both roles see it)."""
    participant = ParticipantFactory(owner=world.org_a, created_by=world.user("caseworker", "a"))
    return {"pk": participant.pk}


def _consent(world):
    participant = ParticipantFactory(owner=world.org_a, created_by=world.user("caseworker", "a"))
    return {"pk": ConsentFactory(participant=participant).pk}


def _import(world):
    from mosty.people.models import ParticipantImport

    job = ParticipantImport.objects.create(
        owner=world.org_a,
        created_by=world.user("coordinator", "a"),
        filename="list.csv",
        headers=["first name", "last name"],
        rows=[["Olena", "Bondar"]],
        total=1,
        mapping={"first_name": 0, "last_name": 1},
    )
    return {"pk": job.pk}


def _consent_data(world):
    return {"purpose": "mentoring", "text_shown": "We share your first name with a mentor."}


ROUTES = [
    Route("people:list", reads_personal=True, allowed=STAFF, org_scoped=False),
    Route("people:intake", allowed=STAFF, org_scoped=False, query="q=Oleksandr"),
    Route("people:create", allowed=STAFF, org_scoped=False),
    Route("people:detail", reads_personal=True, allowed=STAFF, kwargs=_participant),
    Route("people:edit", reads_personal=True, allowed=STAFF, kwargs=_participant),
    Route("people:consent_record", allowed=STAFF, kwargs=_participant),
    Route("people:consent_withdraw", allowed=STAFF, kwargs=_consent, method="post", ok=(302,)),
    Route("people:export", reads_personal=True, allowed=COORDINATOR, kwargs=_participant),
    Route("people:erase", allowed=COORDINATOR, kwargs=_participant),
    Route("people:import", allowed=COORDINATOR, org_scoped=False),
    Route("people:import_preview", reads_personal=True, allowed=COORDINATOR, kwargs=_import),
    Route("people:import_progress", allowed=COORDINATOR, kwargs=_import),
    Route("api:participant_list", reads_personal=True, allowed=STAFF, org_scoped=False, api=True),
    Route(
        "api:participant_create",
        allowed=STAFF,
        org_scoped=False,
        api=True,
        method="post",
        data=lambda w: {"first_name": "Mariam", "last_name": "Haddad", "birth_year": 1990},
        ok=(201,),
    ),
    Route(
        "api:participant_detail", reads_personal=True, allowed=STAFF, kwargs=_participant, api=True
    ),
    Route(
        "api:participant_update",
        allowed=STAFF,
        kwargs=_participant,
        api=True,
        method="patch",
        data=lambda w: {"version": 1, "phone": "+48 500 600 700"},
    ),
    Route(
        "api:participant_export",
        reads_personal=True,
        allowed=COORDINATOR,
        kwargs=_participant,
        api=True,
    ),
    Route(
        "api:participant_consent_list",
        reads_personal=True,
        allowed=STAFF,
        kwargs=_participant,
        api=True,
    ),
    Route(
        "api:consent_record",
        allowed=STAFF,
        kwargs=_participant,
        api=True,
        method="post",
        data=_consent_data,
        ok=(201,),
    ),
    Route("api:consent_withdraw", allowed=STAFF, kwargs=_consent, api=True, method="post"),
]


def _consent_template(world):
    from mosty.people.models import ConsentTemplate

    template = ConsentTemplate.objects.create(
        organisation=world.org_a, purpose="mentoring", language="uk", text="Ми передаємо ім’я."
    )
    return {"pk": template.pk}


ROUTES += [
    Route("people:consent_templates", allowed=COORDINATOR, org_scoped=False),
    Route("people:consent_template_create", allowed=COORDINATOR, org_scoped=False),
    Route("people:consent_template_edit", allowed=COORDINATOR, kwargs=_consent_template),
    Route(
        "people:consent_template_delete",
        allowed=COORDINATOR,
        kwargs=_consent_template,
        method="post",
        ok=(302,),
    ),
]
