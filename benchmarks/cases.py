"""The caseworker dashboard at the seeded scale against the barest query for the same rows.

Run `mosty seed --scale large` first for the yardstick figures (50,000 participants, 500,000
notes); on the demo data the numbers are small but the ratio is still meaningful. The busiest
caseworker (most cases led) is measured, so the figure is the worst case, not the average.
"""

from django.db.models import Count
from django.test import Client

from mosty.core.benchmarking import BenchResult, benchmark, p95, timed

REPEAT = 100


def _busiest_caseworker():
    from mosty.accounts.models import User
    from mosty.cases.models import Case

    row = Case.objects.values("lead_id").annotate(n=Count("pk")).order_by("-n").first()
    if row is None:
        from benchmarks.foundation import _ensure_demo_data
        from mosty.core.seeding import seed_run

        _ensure_demo_data()
        seed_run(scale="demo", only=["cases"])
        row = Case.objects.values("lead_id").annotate(n=Count("pk")).order_by("-n").first()
    return User.objects.get(pk=row["lead_id"]), row["n"]


@benchmark("cases")
def cases() -> list[BenchResult]:
    from mosty.cases import selectors
    from mosty.cases.models import Case, Note

    user, count = _busiest_caseworker()
    notes = Note.objects.count()

    def bare():
        # The same rows with no access policy, annotations or template: one plain query.
        list(
            Case.objects.filter(lead=user)
            .select_related("participant")
            .order_by("-updated_at")[:25]
            .values_list("pk", "participant__code", "status", "review_date")
        )

    baseline = p95(timed(bare, repeat=REPEAT))
    client = Client()
    client.force_login(user)
    page = p95(timed(lambda: client.get("/pl/cases/dashboard/"), repeat=REPEAT))

    def selector():
        data = selectors.dashboard(fetched_by=user, limit=25)
        user.__dict__.pop("_mosty_role_map", None)
        return data

    query = p95(timed(selector, repeat=REPEAT))
    scale = f"{count:,} cases led, {Case.objects.count():,} cases, {notes:,} notes"
    # Issue 4 asks `mosty bench cases` for participant search and import too: those live with the
    # people module (`mosty bench people`) and are repeated here, relabelled.
    from benchmarks.people import people

    intake = [
        BenchResult("cases", f"participants: {r.metric}", r.value, r.baseline, r.goal, r.unit)
        for r in people()
    ]
    return intake + [
        BenchResult(
            "cases",
            f"caseworker dashboard page p95 ({scale})",
            page,
            baseline,
            goal="< 150 ms; constant queries",
        ),
        BenchResult(
            "cases",
            "caseworker dashboard selector p95",
            query,
            baseline,
            goal="<= 20x bare query",
        ),
    ]
