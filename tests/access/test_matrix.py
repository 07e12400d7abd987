"""Every URL pattern and API route x {anonymous, wrong organisation, wrong role, every right
role} x every HTTP method the route accepts."""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

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


def _cannot_fail(route: Route) -> list[str]:
    """Why an entry could pass whatever the view does (empty when it can fail)."""
    reasons = []
    ok = set(route.logged_in_ok or route.ok)
    if not route.public and not route.any_user and ok & set(route.denied):
        reasons.append(f"ok {sorted(ok)} overlaps denied {sorted(route.denied)}")
    if route.public and set(route.ok) <= {404}:
        reasons.append("a public route whose only success is 404")
    if not route.public and 404 in ok:
        reasons.append("success includes 404, which is what a refusal looks like")
    return reasons


def test_entries_can_fail():
    """An entry whose success and refusal look the same tests nothing (a certificate route that
    answers 404 both to its owner and to a stranger): build objects that let it succeed."""
    weak = {r.name: reasons for r in ROUTES if (reasons := _cannot_fail(r))}
    assert not weak, "entries that cannot fail:\n  " + "\n  ".join(
        f"{name}: {'; '.join(reasons)}" for name, reasons in sorted(weak.items())
    )


_HANDLERS = ("get", "post", "put", "patch", "delete")


def _declared_methods(func) -> set[str] | None:
    """Methods a function view's @require_http_methods/@require_POST/@require_GET allows."""
    while func is not None:
        try:
            allowed = inspect.getclosurevars(func).nonlocals.get("request_method_list")
        except (TypeError, ValueError):
            allowed = None
        if allowed:
            return {m.lower() for m in allowed} & set(_HANDLERS)
        func = getattr(func, "__wrapped__", None)
    return None


def accepted_methods(url: str) -> set[str]:
    """The methods a URL's view handles. Class-based views (DRF and Django) say so by their
    handlers; a function view by its method decorator, and otherwise GET and POST (a function
    view without one treats every other method like GET)."""
    func = resolve(url.split("?")[0]).func
    view_class = getattr(func, "cls", None) or getattr(func, "view_class", None)
    if view_class is not None:
        actions = getattr(func, "actions", None)
        if actions:
            return set(actions) & set(_HANDLERS)
        return {m for m in _HANDLERS if hasattr(view_class, m)}
    return _declared_methods(func) or {"get", "post"}


def _url(route: Route, world) -> str:
    kwargs = route.kwargs(world) if route.kwargs else {}
    return reverse(route.name, kwargs=kwargs) + (f"?{route.query}" if route.query else "")


def _call(client, route: Route, world, method: str | None = None):
    """One request, inside a savepoint that is rolled back: every role meets the same data (a
    right role's cancel or delete does not change what the next role sees)."""
    url = _url(route, world)
    method = method or route.method
    data = route.data(world) if route.data and method == route.method else None
    cache.clear()  # rate limits count across calls; each call stands alone
    with transaction.atomic():
        if method == "get":
            response = client.get(url, data or {})
        else:
            response = getattr(client, method)(
                url, data or {}, **({"content_type": "application/json"} if route.api else {})
            )
        transaction.set_rollback(True)
    return response


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

    # Every right role succeeds, not only the first (for "*": every role).
    right = sorted(route.allowed - {"*"}) or sorted(ALL_ROLES)
    expected = route.logged_in_ok or route.ok
    for role in right:
        client.force_login(world.user(role, "a"))
        response = _call(client, route_fixed, world)
        assert response.status_code in expected, f"right role {role}: {response.status_code}"
        assert not _is_login_redirect(response), f"right role {role}: sent to the login page"
    if route.extra_check:
        route.extra_check(response, world)


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_other_methods_are_refused_too(route: Route, db, client):
    """A route that also accepts another method (a page that takes a POST, an API detail that
    takes PATCH and DELETE) refuses anonymous visitors and wrong roles on that method too."""
    world = build_world()
    kwargs = route.kwargs(world) if route.kwargs else {}
    route_fixed = Route(**{**route.__dict__, "kwargs": (lambda w: kwargs)})
    others = sorted(accepted_methods(_url(route_fixed, world)) - {route.method})
    if not others or route.public:
        return
    refused = {*route.denied, 400, 405}
    for method in others:
        client.logout()
        response = _call(client, route_fixed, world, method)
        assert _is_login_redirect(response) or response.status_code in {401, 403, 405}, (
            f"anonymous {method.upper()}: {response.status_code}"
        )
        if route.any_user:
            continue
        for role in sorted(ALL_ROLES - route.allowed):
            client.force_login(world.user(role, "a"))
            response = _call(client, route_fixed, world, method)
            assert response.status_code in refused, (
                f"wrong role {role} {method.upper()}: {response.status_code}"
            )
        if route.org_scoped:
            for role in sorted(route.allowed - {"admin"}):
                client.force_login(world.user(role, "b"))
                response = _call(client, route_fixed, world, method)
                assert response.status_code in refused, (
                    f"wrong organisation ({role} of B) {method.upper()}: {response.status_code}"
                )
