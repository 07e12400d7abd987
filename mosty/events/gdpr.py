"""Event registrations in a participant's GDPR export and erasure (`mosty.people.gdpr`)."""

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce, Upper
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _


def _theirs(participant) -> Q:
    """Registrations made for the participant, and those they made themselves on the public
    form with the e-mail address or phone number on their record."""
    q = Q(participant=participant)
    if participant.email:
        # The e-mail ignoring case (what `iexact` means) in the form the index of public
        # sign-ups holds, `UPPER(email)`: SQLite's `iexact` is a LIKE no index serves, and
        # without the index both databases read all 250,000 registrations of the large city.
        same_email = Exact(Upper("email"), Upper(Value(participant.email)))
        q |= Q(same_email, participant__isnull=True)
    if participant.phone:
        q |= Q(participant__isnull=True, phone=participant.phone)
    return q


def export(participant) -> list:
    from mosty.events.models import Registration

    rows = (
        Registration.objects.filter(_theirs(participant))
        .select_related("event")
        .prefetch_related("event__translations")
        .annotate(
            attended=Count("attendance", filter=Q(attendance__present=True)),
            minutes=Coalesce(
                Sum("attendance__session__minutes", filter=Q(attendance__present=True)), 0
            ),
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "event": r.event.title,
            "starts_at": r.event.starts_at.isoformat() if r.event.starts_at else None,
            "status": r.status,
            "name": r.name,
            "email": r.email,
            "phone": r.phone,
            "language": r.language,
            "institution": r.institution,
            "accessibility_needs": r.accessibility_needs,
            "registered_at": r.created_at.isoformat(),
            "sessions_attended": r.attended,
            "hours": round(r.minutes / 60, 2),
        }
        for r in rows
    ]


def erase(participant) -> None:
    """Names, contacts and needs go; status, attendance and hours stay for the figures."""
    from mosty.events.models import Registration

    # A public sign-up is linked to the (now pseudonymous) record, so its attendance still counts
    # once the contact that identified it is gone.
    Registration.objects.filter(_theirs(participant)).update(
        participant=participant, name=participant.code, email="", phone="", accessibility_needs=""
    )


def register() -> None:
    from mosty.people import gdpr

    gdpr.register_module(
        __name__,
        label=_("Event registrations"),
        models=["events.Registration", "events.Attendance"],
        renamed={
            "registered_at": "events.Registration:one",
            "sessions_attended": "events.Attendance",
        },
    )
