"""`mosty bench pages` finds the pages by itself (issue 15): no list to keep up to date."""

import io

from django.db import transaction

from benchmarks.pages import pages
from mosty.core.benchmarking import page_names, page_walk
from tests.access.test_matrix import ROUTES
from tests.cases.factories import make_case


def test_every_staff_page_of_the_access_matrix_is_walked():
    """Each GET page the matrix lets staff open is in the registry the walk starts from."""
    plain, with_args = page_names()
    walked = set(plain) | with_args
    staff_pages = {
        r.name
        for r in ROUTES
        if r.method == "get"
        and not r.api
        and not r.name.startswith(("api:", "hsds:"))
        and r.allowed & {"admin", "coordinator", "caseworker"}
    }
    assert staff_pages, "the matrix lists staff pages"
    assert not staff_pages - walked


def test_walk_reaches_lists_and_the_details_they_link_to(world):
    case = make_case(world)
    coordinator = world.user("coordinator")
    with transaction.atomic():
        timings = page_walk(coordinator, repeat=1, warmup=0)
        transaction.set_rollback(True)
    by_name = {t.name: t for t in timings}
    assert "core:dashboard" in by_name and "cases:list" in by_name
    # The case detail is not listed anywhere: the walk followed the case list's link to it.
    assert by_name["cases:detail"].path.endswith(f"/cases/{case.pk}/")
    assert by_name["cases:detail"].queries > 0
    assert all(len(t.samples) == 1 for t in timings)
    # A page outside the user's roles is not measured as if it were theirs.
    assert "organisations:create" not in by_name


def test_bench_pages_reports_missing_heavy_users(world):
    out = io.StringIO()
    results = pages(repeat=1, users=["nobody@example.org", world.user("caseworker").email], out=out)
    assert "nobody@example.org" in out.getvalue()
    assert results and all(r.p50 is not None and r.queries for r in results)
    assert {r.bench for r in results} == {"pages"}
