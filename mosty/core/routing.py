"""A module's routes, declared on its pages.

Each views or API module keeps one `Routes` and puts the route on the page it serves:

    routes = Routes()

    @routes.path("<int:pk>/edit/", name="edit")
    class CaseEdit(FormPage): ...

and its `urls.py` only names the namespace: `urlpatterns = views.routes.urlpatterns`. The page,
its permission, template and address are read in one place, and adding a page is one edit
(the HSDS API does the same with the paths of the standard, `directory/hsds_urls.py`).

Order does not depend on where a class stands in its file: a route whose segments are fixed
text comes before one that has a converter in the same place (`manage/` before `<slug:slug>/`),
which is the order anyone would write by hand; otherwise routes keep the order they were
declared in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.urls import URLPattern
from django.urls import path as django_path

V = TypeVar("V", bound=Callable[..., Any])


def _specificity(route: str) -> tuple[bool, ...]:
    """Segment by segment, False for fixed text and True for a converter: sorting on it puts
    fixed text first where two routes could match the same address."""
    return tuple("<" in segment for segment in route.strip("/").split("/"))


class Routes:
    def __init__(self) -> None:
        self._declared: list[tuple[str, Any, dict[str, Any] | None, str]] = []

    def path(
        self, route: str, *, name: str, kwargs: dict[str, Any] | None = None
    ) -> Callable[[V], V]:
        """Decorates a page class (routed with `as_view()`) or a view function."""

        def register(view: V) -> V:
            self.add(route, view, name=name, kwargs=kwargs)
            return view

        return register

    def add(
        self, route: str, view: Any, *, name: str, kwargs: dict[str, Any] | None = None
    ) -> None:
        """A route for a view declared elsewhere (a third-party view, or one page at two
        addresses)."""
        if any(declared_name == name for *_rest, declared_name in self._declared):
            raise ValueError(f"route name {name!r} is declared twice")
        self._declared.append((route, view, kwargs, name))

    @property
    def urlpatterns(self) -> list[URLPattern]:
        ordered = sorted(self._declared, key=lambda declared: _specificity(declared[0]))
        return [
            django_path(route, _callable(view), kwargs or {}, name=name)
            for route, view, kwargs, name in ordered
        ]


def _callable(view: Any) -> Any:
    """A page class is routed through `as_view()`, a function as it is."""
    as_view = getattr(view, "as_view", None)
    return as_view() if isinstance(view, type) and as_view is not None else view
