"""The portal's data in a participant's GDPR export and erasure (`mosty.people.gdpr`)."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def export(participant: Any) -> dict[str, Any]:
    from mosty.portal.models import HelpRequest, PortalAccount, PortalInvitation, TaskReport

    account = PortalAccount.objects.filter(participant=participant).select_related("user").first()
    return {
        "account": (
            {
                "email": account.user.email,
                "language": account.user.language,
                "invited_at": account.invited_at.isoformat(),
                "accepted_at": account.accepted_at.isoformat(),
            }
            if account
            else None
        ),
        "invitations": [
            {"channel": i.channel, "sent_at": i.created_at.isoformat()}
            for i in PortalInvitation.objects.filter(participant=participant)
        ],
        "help_requests": [
            {
                "text": h.text,
                "status": h.status,
                "asked_at": h.created_at.isoformat(),
                "reply": h.reply,
                "replied_at": h.replied_at.isoformat() if h.replied_at else None,
            }
            for h in HelpRequest.objects.filter(participant=participant)
        ],
        "tasks_done": [
            {
                "task": r.task.title,
                "note": r.note,
                "at": r.created_at.isoformat(),
                "read_by_team_at": r.seen_at.isoformat() if r.seen_at else None,
            }
            for r in TaskReport.objects.filter(participant=participant).select_related("task")
        ],
    }


def erase(participant: Any) -> None:
    """The login goes (it is theirs alone); the texts they wrote and the answers staff wrote
    them go; that they asked for help and when stays for the figures."""
    from mosty.portal.models import HelpRequest, PortalAccount, PortalInvitation, TaskReport

    account = PortalAccount.objects.filter(participant=participant).select_related("user").first()
    if account is not None:
        user = account.user
        account.delete()
        user.is_active = False
        user.email = f"erased-{user.pk}@invalid"
        user.first_name = ""
        user.last_name = ""
        user.phone = ""
        user.set_unusable_password()
        user.save()
    PortalInvitation.objects.filter(participant=participant).delete()
    HelpRequest.objects.filter(participant=participant).update(text="", reply="")
    TaskReport.objects.filter(participant=participant).update(note="")


def register() -> None:
    from mosty.people import gdpr

    gdpr.register_module(
        __name__,
        label=_("Own account and requests"),
        models=[
            "portal.PortalAccount",
            "portal.PortalInvitation",
            "portal.HelpRequest",
            "portal.TaskReport",
        ],
        renamed={
            "account": "portal.PortalAccount:one",
            "tasks_done": "portal.TaskReport",
            "read_by_team_at": "portal.TaskReport.seen_at",
            "asked_at": "people.Participant.created_at",
        },
    )
