from typing import Any

from django.utils.translation import gettext_lazy as _

from mosty.access.policy import can
from mosty.core.navigation import EVENTS, nav_item, record_section
from mosty.participation import selectors

# A plain link, so visitors keep a menu without dropdowns.
nav_item(_("Take part"), "participation:programme_list", order=45)
nav_item(
    _("Participation programmes"),
    "participation:manage",
    rule="civic_programme.manage_list",
    order=46,
    group=EVENTS,
)
nav_item(
    _("Ideas and opinions"), "participation:idea_list", rule="idea.list", order=47, group=EVENTS
)
nav_item(_("Groups"), "participation:group_list", rule="group.list", order=48, group=EVENTS)


def _academy_outcomes(request: Any, event: Any) -> dict[str, Any] | None:
    """On an academy course's page, for staff who may see them: what its participants did next."""
    if not can(request.user, "academy.outcomes", event):
        return None
    return selectors.academy_outcome_rows(fetched_by=request.user, course=event)


record_section("event", "participation/_academy_section.html", _academy_outcomes, order=50)
