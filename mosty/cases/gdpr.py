"""Cases in the people app's GDPR registry: export, erasure and the retention hook."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mosty.cases.models import (
    Assessment,
    AssessmentScore,
    Case,
    CaseStatus,
    Goal,
    Note,
    Referral,
    ReferralEvent,
    SharedField,
    SupportLog,
    Task,
)


def _d(value):
    return value.isoformat() if value else None


def export(participant) -> list[dict]:
    cases = (
        Case.objects.filter(participant=participant)
        .select_related("organisation")
        .prefetch_related(
            "assessments__scores",
            "goals__tasks",
            "referrals__to_organisation",
            "referrals__events",
            "notes",
            "support_logs",
        )
        .order_by("pk")
    )
    return [
        {
            "organisation": case.organisation.name,
            "status": case.status,
            "closure_reason": case.closure_reason,
            "opened_on": _d(case.opened_on),
            "closed_at": _d(case.closed_at),
            "review_date": _d(case.review_date),
            "plan_status": case.plan_status,
            "plan_comment": case.plan_comment,
            "assessments": [
                {
                    "date": _d(a.assessed_on),
                    "scores": {
                        s.domain: {"score": s.score, "comment": s.comment} for s in a.scores.all()
                    },
                }
                for a in case.assessments.all()
            ],
            "goals": [
                {
                    "domain": g.domain,
                    "title": g.title,
                    "target_date": _d(g.target_date),
                    "status": g.status,
                    "tasks": [
                        {"title": t.title, "due_date": _d(t.due_date), "status": t.status}
                        for t in g.tasks.all()
                    ],
                }
                for g in case.goals.all()
            ],
            "referrals": [
                {
                    "to": r.to_organisation.name,
                    "domain": r.domain,
                    "status": r.status,
                    "shared_fields": r.shared_fields,
                    "message": r.message,
                    "reason": r.decision_reason,
                    "outcome": r.outcome,
                    "sent_at": _d(r.created_at),
                    "history": [
                        {"status": e.status, "at": _d(e.at), "comment": e.comment}
                        for e in r.events.all()
                    ],
                }
                for r in case.referrals.all()
            ],
            "notes": [
                {"written_at": _d(n.created_at), "visibility": n.visibility, "text": n.body}
                for n in case.notes.all()
            ],
            "support": [
                {
                    "date": _d(s.happened_on),
                    "kind": s.kind,
                    "minutes": s.minutes,
                    "summary": s.summary,
                }
                for s in case.support_logs.all()
            ],
        }
        for case in cases
    ]


def erase(participant) -> None:
    """Remove free text; keep statuses, dates, scores, minutes and counts for statistics."""
    cases = Case.objects.filter(participant=participant)
    Note.objects.filter(case__in=cases).update(body="")
    SupportLog.objects.filter(case__in=cases).update(summary="")
    AssessmentScore.objects.filter(assessment__in=Assessment.objects.filter(case__in=cases)).update(
        comment=""
    )
    Goal.objects.filter(case__in=cases).update(title="—")
    Task.objects.filter(goal__case__in=cases).update(title="—")
    referrals = Referral.objects.filter(case__in=cases)
    ReferralEvent.objects.filter(referral__in=referrals).update(comment="")
    referrals.update(message="—", decision_reason="", outcome="", shared_fields=[])
    cases.update(plan_comment="")


def closed_since(participant_ids) -> dict:
    """Participant id -> when their last case closed, or None while a case is open."""
    from mosty.people import gdpr

    return gdpr.closed_since_of(
        Case.objects.filter(participant_id__in=participant_ids),
        open_when=~Q(status=CaseStatus.CLOSED),
        last="closed_at",
    )


def register() -> None:
    from mosty.people import gdpr

    gdpr.register_module(
        __name__,
        label=_("Cases"),
        models=[
            "cases.Case",
            "cases.Assessment",
            "cases.AssessmentScore",
            "cases.Goal",
            "cases.Task",
            "cases.Referral",
            "cases.ReferralEvent",
            "cases.Note",
            "cases.SupportLog",
        ],
        renamed={
            "to": "cases.Referral.to_organisation",
            "history": "cases.ReferralEvent",
            "sent_at": "cases.Referral.created_at",
            "written_at": "cases.Goal.created_at",
        },
        coded={"shared_fields": SharedField},
    )
