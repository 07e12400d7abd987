from django.utils.translation import gettext_lazy as _

from mosty.access.policy import can
from mosty.core.navigation import NEWCOMERS, dashboard_panel, nav_item, record_section

nav_item(_("Cases"), "cases:dashboard", rule="case.list", order=20, group=NEWCOMERS)
nav_item(_("Referrals"), "cases:referral_list", rule="referral.list", order=21, group=NEWCOMERS)


def _panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated or not can(user, "case.list"):
        return None
    from mosty.cases.selectors import dashboard_counts

    return dashboard_counts(fetched_by=user)


dashboard_panel("cases/_dashboard.html", _panel, order=20)


def _participant_cases(request, participant) -> dict | None:
    """The participant page's way on: their cases and "Open a case" for this person."""
    user = request.user
    if not can(user, "case.list"):
        return None
    from mosty.access.audit import audit_reads
    from mosty.cases.selectors import participant_cases, referral_list

    visible = participant_cases(fetched_by=user, participant=participant)
    cases = list(visible[:20])
    # A subquery, not the list: the same queries with no case as with many.
    referrals = list(
        referral_list(fetched_by=user, direction="outgoing").filter(case__in=visible.values("pk"))[
            :20
        ]
    )
    audit_reads(user, referrals, fields=["to_organisation", "status"])
    return {
        "participant": participant,
        "cases": cases,
        "referrals": referrals,
        "may_open": can(user, "case.create") and participant.anonymised_at is None,
    }


record_section("participant", "cases/_participant_cases.html", _participant_cases, order=20)
