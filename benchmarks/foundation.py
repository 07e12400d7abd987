"""A staff page against a bare Django view, both through the same server stack.

Both requests go through the whole middleware chain in one process (Django's test client
speaks WSGI to the same handler the server uses), so the ratio shows what Mosty's page adds
— templates, access checks, queries — over Django itself.
"""

from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from mosty.core.benchmarking import BenchResult, benchmark, p95, timed

REPEAT = 200


def bare(request):
    return HttpResponse("ok")


def _urlpatterns():
    from mosty import urls

    return [path("__bench__/bare", bare), *urls.urlpatterns]


urlpatterns = _urlpatterns()


def _ensure_demo_data():
    from django.conf import settings

    from mosty.core.citypack import city_init
    from mosty.core.models import City
    from mosty.core.seeding import seed_run
    from mosty.organisations.seed import demo_users_create

    if City.current() is None:
        city_init(path=settings.DEMO_PACK)
        seed_run(scale="demo", only=["organisations"])
    return {u.email: u for u in demo_users_create()}


@benchmark("foundation")
def foundation() -> list[BenchResult]:
    users = _ensure_demo_data()
    results = []
    with override_settings(ROOT_URLCONF=__name__):
        client = Client()
        client.force_login(users["coordinator@demo.mosty.local"])
        baseline = p95(timed(lambda: client.get("/__bench__/bare"), repeat=REPEAT))
        for label, url in [
            ("staff dashboard p95", "/pl/dashboard/"),
            ("organisation list p95", "/pl/manage/organisations/"),
        ]:
            value = p95(timed(lambda url=url: client.get(url), repeat=REPEAT))
            results.append(
                BenchResult("foundation", label, value, baseline, goal="<= 15x bare view")
            )
    return results
