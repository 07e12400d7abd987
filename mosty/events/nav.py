from django.utils.translation import gettext_lazy as _

from mosty.access.policy import can
from mosty.core.navigation import EVENTS, dashboard_panel, nav_item, record_section

nav_item(_("Events"), "events:list", order=40, group=EVENTS)
nav_item(_("My registrations"), "events:mine", rule="registration.mine", order=41, group=EVENTS)
nav_item(_("Organise events"), "events:manage", rule="event.manage_list", order=42, group=EVENTS)


def _panel(request):
    from django.utils import timezone

    from mosty.events import selectors

    user = request.user
    if not user.is_authenticated or not can(user, "event.manage_list"):
        return None
    upcoming = list(
        selectors.event_managed_list(fetched_by=user)
        .filter(ends_at__gte=timezone.now())
        .order_by("starts_at", "pk")[:5]
    )
    return {"events": upcoming, "may_report": can(user, "event.report")}


dashboard_panel("events/_dashboard.html", _panel, order=40)


def _mine_panel(request):
    """For everyone who does not organise events: their next events, or a way to find one,
    so every login lands on a dashboard with something to do."""
    from django.utils import timezone

    from mosty.events import selectors

    user = request.user
    if not user.is_authenticated or can(user, "event.manage_list"):
        return None
    upcoming = [
        r
        for r in selectors.registration_mine(user=user)
        .exclude(status="cancelled")
        .filter(event__ends_at__gte=timezone.now())
        .order_by("event__starts_at", "pk")[:5]
    ]
    return {"registrations": upcoming}


dashboard_panel("events/_dashboard_mine.html", _mine_panel, order=41)


def _participant_registrations(request, participant):
    """The participant page's events block: their registrations at events the user organises,
    and the way to register them for one."""
    from mosty.access.audit import audit_reads
    from mosty.access.domains.events import visible_registrations
    from mosty.events.models import Registration

    user = request.user
    if not can(user, "event.manage_list"):
        return None
    # The participant's rows by subquery: where few registrations name a participant,
    # SQLite's statistics call that index unselective and it scanned every registration
    # (237 ms on the large seed's participant page, 0.5 ms this way).
    theirs = Registration.objects.filter(participant=participant).values("pk")
    registrations = list(
        visible_registrations(user)
        .filter(pk__in=theirs)
        .select_related("event")
        .prefetch_related("event__translations")
        .order_by("-created_at")[:10]
    )
    audit_reads(user, registrations, fields=["event", "status"])
    return {"participant": participant, "registrations": registrations}


record_section(
    "participant", "events/_participant_registrations.html", _participant_registrations, order=40
)
