"""Reads of the research module, each starting from a `visible_*` set of the access domain."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mosty.access.domains.research import (
    answerable_surveys,
    interview_surveys,
    research_organisations,
    shared_surveys,
    visible_focus_groups,
    visible_surveys,
)
from mosty.research.models import Audience, FocusGroup, FormVersion, Invitation, Response, Survey


def _counted(surveys: QuerySet[Survey]) -> QuerySet[Survey]:
    return surveys.select_related("organisation").annotate(
        submitted=Count("responses", filter=Q(responses__submitted_at__isnull=False)),
        started=Count("responses"),
    )


def survey_list(*, fetched_by: Any, filters: dict[str, Any] | None = None) -> QuerySet[Survey]:
    surveys = visible_surveys(fetched_by) | interview_surveys(fetched_by)
    filters = filters or {}
    if filters.get("audience"):
        surveys = surveys.filter(audience=filters["audience"])
    if filters.get("status"):
        surveys = surveys.filter(status=filters["status"])
    return _counted(surveys.distinct()).order_by("-created_at", "pk")


def survey_get(*, fetched_by: Any, pk: int) -> Survey:
    return get_object_or_404(_counted(visible_surveys(fetched_by)), pk=pk)


def survey_interview_get(*, fetched_by: Any, pk: int) -> Survey:
    return get_object_or_404(interview_surveys(fetched_by), pk=pk)


def survey_summary_get(*, fetched_by: Any, pk: int) -> Survey:
    return get_object_or_404(
        (visible_surveys(fetched_by) | shared_surveys(fetched_by)).distinct(), pk=pk
    )


def survey_public_get(*, slug: str) -> Survey:
    return get_object_or_404(answerable_surveys().select_related("organisation"), slug=slug)


def invitation_get(*, token: str) -> Invitation:
    invitation = get_object_or_404(
        Invitation.objects.select_related("survey"), token=token, survey__in=answerable_surveys()
    )
    return invitation


def response_get(*, key: str) -> Response:
    """An unfinished or finished response by its key (the respondent's resume link)."""
    try:
        return Response.objects.select_related("survey", "version").get(key=key)
    except (Response.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def versions_of(survey: Survey) -> QuerySet[FormVersion]:
    return survey.versions.annotate(answered=Count("responses")).order_by("-number")


def invitation_counts(survey: Survey) -> dict[str, int]:
    counts = survey.invitations.aggregate(
        sent=Count("pk"), answered=Count("pk", filter=Q(response__submitted_at__isnull=False))
    )
    return {"sent": counts["sent"] or 0, "answered": counts["answered"] or 0}


def submitted_answers(survey: Survey) -> QuerySet[Response]:
    """Finished responses of every version (each keeps the version it was answered in)."""
    return survey.responses.filter(submitted_at__isnull=False).order_by("pk")


def organisations_for(user: Any) -> QuerySet[Any]:
    return research_organisations(user)


def focus_group_list(
    *, fetched_by: Any, filters: dict[str, Any] | None = None
) -> QuerySet[FocusGroup]:
    return visible_focus_groups(fetched_by).select_related("organisation", "survey")


def focus_group_get(*, fetched_by: Any, pk: int) -> FocusGroup:
    return get_object_or_404(focus_group_list(fetched_by=fetched_by), pk=pk)


def research_figures(*, fetched_by: Any) -> dict[str, Any]:
    """Figures for the impact registry over the surveys and focus groups the user runs:
    finished responses by survey and audience, the answer rate of personal links, focus
    groups held and their participants."""
    surveys = visible_surveys(fetched_by)
    rows = (
        Response.objects.filter(survey__in=surveys, submitted_at__isnull=False)
        .values("survey__audience")
        .annotate(n=Count("pk"))
        .order_by("survey__audience")
    )
    by_audience = {str(Audience(row["survey__audience"]).label): row["n"] for row in rows}
    links = Invitation.objects.filter(survey__in=surveys).aggregate(
        sent=Count("pk"), answered=Count("pk", filter=Q(response__submitted_at__isnull=False))
    )
    held = visible_focus_groups(fetched_by).filter(held_on__lte=timezone.localdate())
    groups = list(held.values_list("participants", flat=True))
    return {
        "responses_by_audience": by_audience,
        "links_sent": links["sent"] or 0,
        "links_answered": links["answered"] or 0,
        "link_rate": (links["answered"] / links["sent"]) if links["sent"] else None,
        "focus_groups": len(groups),
        "focus_group_participants": sum(
            sum(v for v in counts.values() if isinstance(v, int))
            for counts in groups
            if isinstance(counts, dict)
        ),
    }
