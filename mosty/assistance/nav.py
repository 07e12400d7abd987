"""Menu links of institution assistance for each role that needs them, and the assistant's
dashboard panel."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from mosty.access.policy import can
from mosty.assistance import selectors
from mosty.core.navigation import RESOURCES, dashboard_panel, nav_item

ASSISTANCE = _("Assistance")

# The menu, in order (from 60): label, page, the rule that shows it, its group.
MENU = (
    # Institution staff
    (_("Our requests"), "assistance:request_list", "assistance.request_list", ASSISTANCE),
    (
        _("Request an interpreter"),
        "assistance:request_create",
        "assistance.request_create",
        ASSISTANCE,
    ),
    # Assistants
    (_("Offers"), "assistance:offers", "assistance.profile", ASSISTANCE),
    (_("My schedule"), "assistance:schedule", "assistance.profile", ASSISTANCE),
    (_("My availability"), "assistance:availability", "assistance.profile", ASSISTANCE),
    (_("My hours"), "assistance:hours", "assistance.profile", ASSISTANCE),
    (_("My assistant profile"), "assistance:profile", "assistance.profile", ASSISTANCE),
    # Coordinators: under Resources, beside the directory and the translators (the brief's
    # "networks and resources"), so a coordinator's menu stays on one line.
    (_("Assistance requests"), "assistance:open_requests", "assistance.coordinate", RESOURCES),
    (_("Service level"), "assistance:service_level", "assistance.coordinate", RESOURCES),
    (_("Assistance hours"), "assistance:hours_report", "assistance.report", RESOURCES),
)
for order, (label, url_name, rule, group) in enumerate(MENU, start=60):
    nav_item(label, url_name, rule=rule, order=order, group=group)


def _assistant_panel(request: Any) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated or not can(user, "assistance.profile"):
        return None
    return {
        "offers": selectors.offer_list(fetched_by=user).count(),
        "next": list(selectors.schedule_list(fetched_by=user)[:3]),
        "has_profile": selectors.profile_of(user) is not None,
    }


dashboard_panel("assistance/_dashboard.html", _assistant_panel, order=60)


def _requests_panel(request: Any) -> dict[str, Any] | None:
    """Coordinators: how many requests wait for an assistant. Institution staff: their
    institution's next requests and where they stand."""
    user = request.user
    if not user.is_authenticated:
        return None
    coordinates = can(user, "assistance.coordinate")
    requests_help = can(user, "assistance.request_list")
    if not coordinates and not requests_help:
        return None
    return {
        "open": selectors.request_open_list(fetched_by=user, filters={}).count()
        if coordinates
        else None,
        "ours": list(selectors.request_upcoming(fetched_by=user)[:3]) if requests_help else [],
        "requests_help": requests_help,
    }


dashboard_panel("assistance/_dashboard_requests.html", _requests_panel, order=61)
