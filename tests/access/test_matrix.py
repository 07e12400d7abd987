"""Every URL pattern and API route x {anonymous, wrong organisation, wrong role, right role}."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access_matrix import ALL_ROLES, Route
from tests.conftest import build_world


def _collect():
    routes, exempt = [], []
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        if not (Path(tests.__path__[0]) / module.name / "routes.py").exists():
            continue
        mod = importlib.import_module(f"tests.{module.name}.routes")
        routes += getattr(mod, "ROUTES", [])
        exempt += getattr(mod, "EXEMPT", [])
    return routes, exempt


ROUTES, EXEMPTED = _collect()


def _names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            if p.name:
                yield f"{namespace}{p.name}"
            else:
                yield f"{namespace}<unnamed {p.pattern}>"


def test_every_url_has_an_entry():
    covered = {r.name for r in ROUTES} | {e.name for e in EXEMPTED}
    missing = sorted(set(_names(get_resolver().url_patterns)) - covered)
    assert not missing, "URLs without an access-matrix entry:\n  " + "\n  ".join(missing)


def test_no_stale_entries():
    known = set(_names(get_resolver().url_patterns))
    stale = sorted({r.name for r in ROUTES} - known)
    assert not stale, f"matrix entries for URLs that no longer exist: {stale}"


def _call(client, route: Route, world):
    kwargs = route.kwargs(world) if route.kwargs else {}
    url = reverse(route.name, kwargs=kwargs) + (f"?{route.query}" if route.query else "")
    data = route.data(world) if route.data else None
    if route.method == "get":
        return client.get(url, data or {})
    return getattr(client, route.method)(
        url, data or {}, **({"content_type": "application/json"} if route.api else {})
    )


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_access(route: Route, db, client):
    world = build_world()
    # Build the URL once so objects exist before anyone calls it.
    kwargs = route.kwargs(world) if route.kwargs else {}
    route_fixed = Route(**{**route.__dict__, "kwargs": (lambda w: kwargs)})

    response = _call(client, route_fixed, world)
    if route.public:
        assert response.status_code in route.ok, f"anonymous: {response.status_code}"
    elif route.anonymous is not None:
        assert response.status_code in route.anonymous, f"anonymous: {response.status_code}"
    elif route.api:
        assert response.status_code in (401, 403), f"anonymous: {response.status_code}"
    else:
        assert _is_login_redirect(response), f"anonymous: {response.status_code}"

    if not route.public and not route.any_user:
        for role in sorted(ALL_ROLES - route.allowed):
            client.force_login(world.user(role, "a"))
            response = _call(client, route_fixed, world)
            assert response.status_code in route.denied, (
                f"wrong role {role}: {response.status_code}"
            )
        if route.org_scoped:
            for role in sorted(route.allowed - {"admin"}):
                client.force_login(world.user(role, "b"))
                response = _call(client, route_fixed, world)
                assert response.status_code in route.denied, (
                    f"wrong organisation ({role} of B): {response.status_code}"
                )

    right = sorted(route.allowed - {"*"}) or ["caseworker"]
    client.force_login(world.user(right[0], "a"))
    response = _call(client, route_fixed, world)
    expected = route.logged_in_ok or route.ok
    assert response.status_code in expected, f"right role {right[0]}: {response.status_code}"
    if route.extra_check:
        route.extra_check(response, world)
