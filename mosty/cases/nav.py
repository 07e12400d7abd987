from django.utils.translation import gettext_lazy as _

from mosty.access.policy import can
from mosty.core.navigation import NEWCOMERS, dashboard_panel, nav_item

nav_item(_("Cases"), "cases:dashboard", rule="case.list", order=20, group=NEWCOMERS)
nav_item(_("Referrals"), "cases:referral_list", rule="referral.list", order=21, group=NEWCOMERS)


def _panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated or not can(user, "case.list"):
        return None
    from mosty.cases.selectors import dashboard_counts

    return dashboard_counts(fetched_by=user)


dashboard_panel("cases/_dashboard.html", _panel, order=20)
