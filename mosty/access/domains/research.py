"""Who runs surveys and focus groups, who answers, who sees results.

Researchers are the coordinators of the organisation that owns a survey, and the
installation's admins. Answering is public: an open survey with an open link is answered by
anyone, a personal link by whoever holds it. Staff who interview respondents (coordinators and
caseworkers of the owner) enter answers for them. Results shown outside the research team are
the suppressed summary (cells under 5 hidden): any member of an organisation sees it once a
survey is no longer a draft.
"""

import rules
from django.db.models import QuerySet

from mosty.access.policy import POLICY
from mosty.access.roles import has_role, holds_role_at, is_admin, is_member, orgs_where
from mosty.accounts.models import Role
from mosty.core.collation import by_name
from mosty.research.models import FocusGroup, Survey, SurveyStatus

INTERVIEWER_ROLES = (Role.COORDINATOR, Role.CASEWORKER)


def _owner_id(record) -> int | None:
    return getattr(record, "organisation_id", None)


@rules.predicate
def is_researcher(user) -> bool:
    return bool(is_admin(user) or has_role(user, Role.COORDINATOR))


@rules.predicate
def researches(user, record) -> bool:
    """Admin, or a coordinator of the organisation that owns the survey or focus group."""
    if record is None:
        return False
    return bool(is_admin(user) or _owner_id(record) in orgs_where(user, Role.COORDINATOR))


interviews_for = holds_role_at("organisation_id", *INTERVIEWER_ROLES)


@rules.predicate
def is_interviewer(user) -> bool:
    return bool(is_researcher(user) or has_role(user, *INTERVIEWER_ROLES))


@rules.predicate
def survey_is_open(user, survey) -> bool:
    return survey is not None and not survey.is_closed()


@rules.predicate
def summary_is_shared(user, survey) -> bool:
    return survey is not None and survey.status != SurveyStatus.DRAFT and is_member(user)


POLICY.add_rule("survey.list", is_researcher | is_interviewer)
POLICY.add_rule("survey.create", is_researcher)
POLICY.add_rule("survey.view", researches)
POLICY.add_rule("survey.change", researches)
POLICY.add_rule("survey.results", researches)
POLICY.add_rule("survey.export", researches)
POLICY.add_rule("survey.summary", researches | summary_is_shared)
POLICY.add_rule("survey.interview", (researches | interviews_for) & survey_is_open)
POLICY.add_rule("survey.answer", survey_is_open)
POLICY.add_rule("focus_group.list", is_researcher)
POLICY.add_rule("focus_group.create", is_researcher)
POLICY.add_rule("focus_group.view", researches)
POLICY.add_rule("focus_group.change", researches)


def research_organisations(user) -> QuerySet:
    """The organisations `user` may run surveys and focus groups for."""
    from mosty.organisations.models import Organisation

    if is_admin(user):
        return Organisation.objects.filter(is_active=True).order_by(*by_name("name"))
    return Organisation.objects.filter(pk__in=orgs_where(user, Role.COORDINATOR)).order_by(
        *by_name("name")
    )


def visible_surveys(user) -> QuerySet[Survey]:
    """Surveys whose full results and settings the user works with."""
    if is_admin(user):
        return Survey.objects.all()
    return Survey.objects.filter(organisation_id__in=orgs_where(user, Role.COORDINATOR))


def interview_surveys(user) -> QuerySet[Survey]:
    """Surveys the user may enter answers for (researchers' and the owner's caseworkers')."""
    if is_admin(user):
        return Survey.objects.all()
    return Survey.objects.filter(organisation_id__in=orgs_where(user, *INTERVIEWER_ROLES))


def shared_surveys(user) -> QuerySet[Survey]:
    """Surveys whose suppressed summary the user may read."""
    if not is_member(user):
        return Survey.objects.none()
    return Survey.objects.exclude(status=SurveyStatus.DRAFT)


def answerable_surveys() -> QuerySet[Survey]:
    """Surveys a public or personal link leads to (a closed one tells the respondent so)."""
    return Survey.objects.exclude(status=SurveyStatus.DRAFT)


def visible_focus_groups(user) -> QuerySet[FocusGroup]:
    if is_admin(user):
        return FocusGroup.objects.all()
    return FocusGroup.objects.filter(organisation_id__in=orgs_where(user, Role.COORDINATOR))
