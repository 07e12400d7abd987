"""Ideas and consultation responses in a participant's GDPR export and erasure
(`mosty.people.gdpr`)."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def export(participant: Any) -> dict[str, list[dict[str, Any]]]:
    return {"ideas": _export_ideas(participant), "groups": _export_groups(participant)}


def _export_ideas(participant: Any) -> list[dict[str, Any]]:
    from mosty.participation.models import Idea

    rows = (
        Idea.objects.filter(participant=participant)
        .prefetch_related("support", "call__translations")
        .order_by("created_at", "pk")
    )
    return [
        {
            "kind": idea.kind,
            "call": idea.call.title if idea.call else None,
            "title": idea.title,
            "text": idea.text,
            "status": idea.status,
            "submitted_at": idea.submitted_at.isoformat() if idea.submitted_at else None,
            "answer": idea.answer,
            "support": [
                {"date": entry.date.isoformat(), "hours": str(entry.hours), "note": entry.note}
                for entry in idea.support.all()
            ],
        }
        for idea in rows
    ]


def _export_groups(participant: Any) -> list[dict[str, Any]]:
    from mosty.participation.models import GroupMember

    # A member by their record, or by their portal account (a group may list an account).
    condition = Q(participant=participant)
    account = getattr(participant, "portal_account", None)
    if account is not None:
        condition |= Q(user_id=account.user_id)
    rows = GroupMember.objects.filter(condition).select_related("group")
    return [
        {
            "group": member.group.name,
            "role": member.role,
            "from": member.starts_on.isoformat(),
            "until": member.ends_on.isoformat() if member.ends_on else None,
        }
        for member in rows.order_by("starts_on", "pk")
    ]


def erase(participant: Any) -> None:
    """Titles, texts, answers and notes go; kinds, statuses and hours stay for the figures.
    Group memberships hold no text: the row (group, role, term) stays with the pseudonymous
    record, so the group's member count survives."""
    from mosty.participation.models import Idea, SupportEntry

    ideas = Idea.objects.filter(participant=participant)
    SupportEntry.objects.filter(idea__in=ideas).update(note="")
    ideas.update(title="—", text="", answer="")


def register() -> None:
    from mosty.people import gdpr

    gdpr.register_module(
        __name__,
        label=_("Ideas, consultation responses and groups"),
        models=["participation.Idea", "participation.SupportEntry", "participation.GroupMember"],
    )
