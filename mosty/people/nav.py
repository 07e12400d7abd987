from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import NEWCOMERS, dashboard_panel, nav_item

nav_item(_("Participants"), "people:list", rule="participant.list", order=10, group=NEWCOMERS)
nav_item(
    _("Consent texts"),
    "people:consent_templates",
    rule="consent_template.list",
    order=15,
    group=NEWCOMERS,
)


def _dashboard(request):
    from mosty.access.policy import can
    from mosty.people.selectors import participant_list

    user = request.user
    if not user.is_authenticated or not can(user, "participant.list"):
        return None
    return {
        "participant_count": participant_list(fetched_by=user).count(),
        "may_create": can(user, "participant.create"),
        "may_import": can(user, "participant.import"),
    }


dashboard_panel("people/_dashboard.html", _dashboard, order=10)
