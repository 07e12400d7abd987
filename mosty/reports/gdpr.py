"""The reports module holds no data about a participant: programmes, targets and issued
reports are numbers about groups. Said here, with the reasons, for the GDPR registry
(`mosty/people/gdpr.py`, `tests/people/test_gdpr_registry.py`)."""

from __future__ import annotations

from mosty.people import gdpr

NO_PERSONAL_DATA = {
    "reports.Programme": "A funded project: its name, donor, period and organisations.",
    "reports.Target": "A programme's promised figure for one indicator.",
    "reports.BudgetLine": (
        "A line of a programme's budget: a name, an amount, a currency and a note about the "
        "project's money, never about a person."
    ),
    "reports.ReportSnapshot": (
        "Aggregate figures of an issued report (suppressed below the threshold where they "
        "count people); kept after erasure, as aggregates must be."
    ),
    "reports.CitySnapshot": (
        "Aggregate figures of an issued city report (counts of people suppressed below the "
        "threshold); kept after erasure, as aggregates must be."
    ),
    "reports.RollupScope": "Which organisations, events and period a set of kept figures covers.",
    "reports.Rollup": (
        "One kept figure (an indicator's count over a scope, whole or by breakdown key); "
        "numbers about groups, recomputed nightly, so erased people drop out then."
    ),
    "reports.PartnerInvitation": (
        "Which organisation a programme asked to take part and its answer; the staff who "
        "asked and answered are kept as account references that erasure of the account clears."
    ),
    "reports.RollupRun": "When the kept figures were refreshed, by whom it was asked, progress.",
}


def register() -> None:
    gdpr.NO_PERSONAL_DATA.update(NO_PERSONAL_DATA)
