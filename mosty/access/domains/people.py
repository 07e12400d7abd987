"""Who may see and work on participants (docs/access-policy.md, issue 4).

- A participant record belongs to its owner organisation (the one that registered them).
- A coordinator sees every participant of their organisation, including the sensitive fields.
- A caseworker sees the participants they registered themselves and those of the cases whose
  team they are on. The case-team part comes from the cases domain: it exposes
  `participant_ids_on_my_teams(user)` in `mosty/access/domains/cases.py`; while that does not
  exist a caseworker sees every participant their organisation registered.
  Cases engineer: to change the caseworker scope, change `participant_ids_on_my_teams`, or
  replace `caseworker_participants_q` with `set_caseworker_scope(fn)` (fn(user) -> Q over
  Participant). Other domains filter on participants with `participants_q(user)`.
- The installation admin sees no participant (no case content by default), nor do mentors or
  institution staff (they get what other apps share with them, e.g. a mentor's match).
- Sensitive fields (legal status) need `participant.view_sensitive`: a coordinator of the owner
  organisation, or a user who may view the record and whose membership in the owner organisation
  holds the sensitive-data grant (`Grant.VIEW_SENSITIVE`, given by an administrator).
"""

from __future__ import annotations

from collections.abc import Callable

import rules
from django.db.models import Q, QuerySet

from mosty.access.policy import POLICY
from mosty.access.roles import holds_role_at, in_visible, orgs_granted, orgs_where, staff_orgs
from mosty.accounts.models import Grant, Role
from mosty.core.collation import by_name

PEOPLE_ROLES = (Role.COORDINATOR, Role.CASEWORKER)


def _team_participant_ids(user):
    try:
        from mosty.access.domains.cases import participant_ids_on_my_teams
    except ImportError:
        return None
    return participant_ids_on_my_teams(user)


def caseworker_participants_q(user) -> Q:
    """Participants a caseworker may see in the organisations where they are a caseworker."""
    casework = orgs_where(user, Role.CASEWORKER)
    if not casework:
        return Q(pk__in=[])
    team = _team_participant_ids(user)
    if team is None:
        return Q(owner_id__in=casework)
    return Q(owner_id__in=casework, created_by_id=user.pk) | Q(pk__in=team)


_caseworker_scope: Callable[[object], Q] = caseworker_participants_q


def set_caseworker_scope(fn: Callable[[object], Q]) -> None:
    global _caseworker_scope
    _caseworker_scope = fn


def participants_q(user, prefix: str = "") -> Q | None:
    """Filter on Participant (or on a model reaching it through `prefix`, e.g. "participant__")
    for what `user` may see; None when nothing."""
    orgs = staff_orgs(user)
    if orgs is None:
        return None
    coordinated, casework = orgs
    q = Q(owner_id__in=coordinated) if coordinated else Q(pk__in=[])
    if casework:
        q |= _caseworker_scope(user)
    if prefix:
        return Q(**{f"{prefix}pk__in": _participant_model().objects.filter(q).values("pk")})
    return q


def _participant_model():
    from mosty.people.models import Participant

    return Participant


def visible_participants(user) -> QuerySet:
    """The participants `user` may open. Views and API always start here."""
    Participant = _participant_model()
    q = participants_q(user)
    return Participant.objects.filter(q) if q is not None else Participant.objects.none()


def visible_consents(user) -> QuerySet:
    from mosty.people.models import Consent

    return Consent.objects.filter(participant__in=visible_participants(user).values("pk"))


# --- predicates ---------------------------------------------------------------------------


@rules.predicate
def works_with_people(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and orgs_where(user, *PEOPLE_ROLES))


@rules.predicate
def coordinates_somewhere(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and orgs_where(user, Role.COORDINATOR))


@rules.predicate
def may_see_participant(user, participant) -> bool:
    if participant is None or participant.pk is None:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    if participant.owner_id in orgs_where(user, Role.COORDINATOR):
        return True
    if not orgs_where(user, Role.CASEWORKER):
        return False
    return in_visible(
        user, "_mosty_participant_cache", lambda: visible_participants(user), participant.pk
    )


coordinates_owner = holds_role_at("owner_id", Role.COORDINATOR)


@rules.predicate
def holds_sensitive_grant(user, participant) -> bool:
    """The user's membership in the participant's owner organisation holds the grant."""
    return participant is not None and participant.owner_id in orgs_granted(
        user, Grant.VIEW_SENSITIVE
    )


@rules.predicate
def participant_is_not_anonymised(user, participant) -> bool:
    return participant is not None and participant.anonymised_at is None


@rules.predicate
def consent_participant_visible(user, consent) -> bool:
    return consent is not None and may_see_participant(user, consent.participant)


@rules.predicate
def consent_is_active(user, consent) -> bool:
    return consent is not None and consent.withdrawn_at is None


def sensitive_visible_in_list(user, participant) -> bool:
    """`participant.view_sensitive` for a row already fetched through `visible_participants`
    (skips the per-row visibility query, so lists keep a constant number of queries)."""
    return bool(coordinates_owner(user, participant) or holds_sensitive_grant(user, participant))


def unseen_matches_count(user, q: Q) -> int:
    """How many participants of the user's organisations match `q` but are not visible to them
    (a caseworker's duplicate hint: a count, never the records)."""
    orgs = orgs_where(user, *PEOPLE_ROLES) if getattr(user, "is_authenticated", False) else []
    if not orgs:
        return 0
    return (
        _participant_model()
        .objects.filter(q, owner_id__in=orgs, anonymised_at__isnull=True)
        .exclude(pk__in=visible_participants(user).values("pk"))
        .count()
    )


@rules.predicate
def may_register_for(user, owner) -> bool:
    """Asked about an organisation: the user works with people there (no organisation: the
    page that lets them choose one)."""
    return owner is None or owner.pk in orgs_where(user, *PEOPLE_ROLES)


def participant_owner_organisations(user) -> QuerySet:
    """The organisations `user` may register participants for."""
    from mosty.organisations.models import Organisation

    return Organisation.objects.filter(pk__in=orgs_where(user, *PEOPLE_ROLES)).order_by(
        *by_name("name")
    )


def participant_import_organisations(user) -> QuerySet:
    """The organisations `user` may import participants into (as their coordinator)."""
    from mosty.organisations.models import Organisation

    return Organisation.objects.filter(pk__in=orgs_where(user, Role.COORDINATOR)).order_by(
        *by_name("name")
    )


def visible_participant_imports(user) -> QuerySet:
    from mosty.people.models import ParticipantImport

    return ParticipantImport.objects.filter(owner_id__in=orgs_where(user, Role.COORDINATOR))


POLICY.add_rule("participant.list", works_with_people)
POLICY.add_rule("participant.create", works_with_people & may_register_for)
POLICY.add_rule("participant.import", coordinates_somewhere)
POLICY.add_rule("participant.view", may_see_participant)
POLICY.add_rule("participant.change", may_see_participant & participant_is_not_anonymised)
POLICY.add_rule(
    "participant.view_sensitive",
    coordinates_owner | (holds_sensitive_grant & may_see_participant),
)
POLICY.add_rule("participant.export", coordinates_owner)
POLICY.add_rule("participant.erase", coordinates_owner & participant_is_not_anonymised)
POLICY.add_rule("participant.consent.record", may_see_participant & participant_is_not_anonymised)
POLICY.add_rule("consent.withdraw", consent_participant_visible & consent_is_active)


# Consent text templates: an organisation's own texts, kept by its coordinators.


def visible_consent_templates(user) -> QuerySet:
    from mosty.people.models import ConsentTemplate

    return ConsentTemplate.objects.filter(organisation_id__in=orgs_where(user, Role.COORDINATOR))


def consent_template_organisations(user) -> QuerySet:
    """Organisations whose consent texts the user may keep (those they coordinate)."""
    from mosty.organisations.models import Organisation

    return Organisation.objects.filter(pk__in=orgs_where(user, Role.COORDINATOR)).order_by(
        *by_name("name")
    )


@rules.predicate
def coordinates_template_organisation(user, target) -> bool:
    """`target` is a ConsentTemplate or an Organisation."""
    organisation_id = getattr(target, "organisation_id", getattr(target, "pk", None))
    return organisation_id is not None and organisation_id in orgs_where(user, Role.COORDINATOR)


POLICY.add_rule("consent_template.list", coordinates_somewhere)
POLICY.add_rule("consent_template.create", coordinates_template_organisation)
POLICY.add_rule("consent_template.change", coordinates_template_organisation)
POLICY.add_rule("consent_template.delete", coordinates_template_organisation)
