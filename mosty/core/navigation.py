"""Registries that let each module add itself to shared pages without editing them.

- `nav_item()`: a link in the main menu, shown when `can(user, rule)` (or to everyone if
  `rule` is None);
- `dashboard_panel()`: a box on the staff dashboard, rendered from a template with the
  context its function returns (or skipped when it returns None).

Modules register in `mosty/<app>/nav.py`, which CoreConfig.ready() imports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    rule: str | None
    order: int


@dataclass(frozen=True)
class DashboardPanel:
    template: str
    context: Callable[[object], dict | None]
    order: int


NAV: list[NavItem] = []
PANELS: list[DashboardPanel] = []


def nav_item(label, url_name: str, *, rule: str | None = None, order: int = 50) -> None:
    if not any(item.url_name == url_name for item in NAV):
        NAV.append(NavItem(label, url_name, rule, order))
        NAV.sort(key=lambda item: item.order)


def dashboard_panel(
    template: str, context: Callable[[object], dict | None], *, order: int = 50
) -> None:
    if not any(panel.template == template for panel in PANELS):
        PANELS.append(DashboardPanel(template, context, order))
        PANELS.sort(key=lambda panel: panel.order)


def nav_for(user) -> list[dict]:
    from mosty.access.policy import can

    return [
        {"label": item.label, "url": reverse(item.url_name)}
        for item in NAV
        if item.rule is None or (user.is_authenticated and can(user, item.rule))
    ]


def panels_for(request) -> list[dict]:
    rendered = []
    for panel in PANELS:
        context = panel.context(request)
        if context is not None:
            rendered.append({"template": panel.template, "context": context})
    return rendered
