"""The caseworker dashboard at the seeded scale against the same lists as plain queries.

Run `mosty seed --scale large` first for the yardstick figures (50,000 participants, 500,000
notes); on the demo data the numbers are small but the ratio is still meaningful. The busiest
caseworker (most cases led) is measured, so the figure is the worst case, not the average.
"""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.test import Client
from django.utils import timezone

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
    from mosty.accounts.models import Membership
    from mosty.cases import selectors
    from mosty.cases.models import Case, Note, Referral, Task

    user, count = _busiest_caseworker()
    notes = Note.objects.count()

    def bare():
        """The dashboard's lists as plain queries, without the policy, annotations helpers or
        template: the open cases the caseworker leads or is a member of (newest change first,
        with an overdue-task flag) and their count, their overdue tasks, their reviews due
        within two weeks, the most recently changed of all their cases, and the referrals
        and plans waiting for them. The same selections the page shows, 25 rows each."""
        today = timezone.localdate()
        orgs = Membership.objects.filter(user=user, role__in=("coordinator", "caseworker")).values(
            "organisation_id"
        )
        team = Case.objects.filter(organisation_id__in=orgs).filter(Q(lead=user) | Q(members=user))
        open_ = team.exclude(status="closed")
        overdue = Task.objects.filter(
            goal__case=OuterRef("pk"), status__in=("todo", "in_progress"), due_date__lt=today
        )
        shown = ("pk", "participant__code", "status", "review_date", "updated_at")
        list(
            open_.annotate(overdue=Exists(overdue))
            .order_by("-updated_at", "-pk")
            .values_list(*shown, "overdue")[:25]
        )
        open_.count()
        list(
            Task.objects.filter(
                goal__case__in=open_.values("pk"),
                status__in=("todo", "in_progress"),
                due_date__lt=today,
            )
            .order_by("due_date", "pk")
            .values_list("pk", "title", "due_date", "goal__case__participant__code")[:25]
        )
        list(
            open_.filter(review_date__lte=today + dt.timedelta(days=14))
            .order_by("review_date", "pk")
            .values_list(*shown)[:25]
        )
        list(team.order_by("-updated_at", "-pk").values_list(*shown)[:25])
        Referral.objects.filter(to_organisation_id__in=orgs, status="sent").count()
        Case.objects.filter(
            plan_status="requested",
            organisation_id__in=Membership.objects.filter(user=user, role="coordinator").values(
                "organisation_id"
            ),
        ).count()

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
