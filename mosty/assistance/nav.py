"""Menu links of institution assistance for each role that needs them, and the assistant's
dashboard panel."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from mosty.access.policy import can
from mosty.assistance import selectors
from mosty.core.navigation import RESOURCES, dashboard_panel, nav_item

ASSISTANCE = _("Assistance")

# Institution staff
nav_item(
    _("Our requests"),
    "assistance:request_list",
    rule="assistance.request_list",
    order=60,
    group=ASSISTANCE,
)
nav_item(
    _("Request an interpreter"),
    "assistance:request_create",
    rule="assistance.request_create",
    order=61,
    group=ASSISTANCE,
)
# Assistants
nav_item(_("Offers"), "assistance:offers", rule="assistance.profile", order=62, group=ASSISTANCE)
nav_item(
    _("My schedule"), "assistance:schedule", rule="assistance.profile", order=63, group=ASSISTANCE
)
nav_item(
    _("My availability"),
    "assistance:availability",
    rule="assistance.profile",
    order=64,
    group=ASSISTANCE,
)
nav_item(_("My hours"), "assistance:hours", rule="assistance.profile", order=65, group=ASSISTANCE)
nav_item(
    _("My assistant profile"),
    "assistance:profile",
    rule="assistance.profile",
    order=66,
    group=ASSISTANCE,
)
# Coordinators: under Resources, beside the directory and the translators (the brief's
# "networks and resources"), so a coordinator's menu stays on one line.
nav_item(
    _("Assistance requests"),
    "assistance:open_requests",
    rule="assistance.coordinate",
    order=67,
    group=RESOURCES,
)
nav_item(
    _("Service level"),
    "assistance:service_level",
    rule="assistance.coordinate",
    order=68,
    group=RESOURCES,
)
nav_item(_("Assistance hours"), "assistance:hours_report", rule="assistance.report", order=69, group=RESOURCES)  # fmt: skip


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
