"""Registries that let each module add itself to shared pages without editing them.

- `nav_item()`: a link in the main menu, shown when `can(user, rule)` (or to everyone if
  `rule` is None); links of one `group` that a user sees two or more of share a dropdown
  named after the group, so staff with many modules get a short menu;
- `dashboard_panel()`: a box on the staff dashboard, rendered from a template with the
  context its function returns (or skipped when it returns None);
- `record_section()`: a section on another module's record page (e.g. the participant's cases
  on the participant page), so the page links onward without importing the module.

Modules register in `mosty/<app>/nav.py`, which CoreConfig.ready() imports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Menu headings shared by the modules (translated once, here).
NEWCOMERS = _("Newcomers")
MENTORING = _("Mentoring")
EVENTS = _("Events")
RESOURCES = _("Resources")
KNOWLEDGE = _("Knowledge")
ADMINISTRATION = _("Administration")


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    rule: str | None
    order: int
    group: str | None = None  # a (lazily translated) menu heading


@dataclass(frozen=True)
class DashboardPanel:
    template: str
    context: Callable[[object], dict | None]
    order: int


@dataclass(frozen=True)
class RecordSection:
    record: str  # which page: "participant", ...
    template: str
    context: Callable[[object, object], dict | None]  # (request, record) -> context or None
    order: int


NAV: list[NavItem] = []
PANELS: list[DashboardPanel] = []
SECTIONS: list[RecordSection] = []


def nav_item(label, url_name: str, *, rule: str | None = None, order: int = 50, group=None) -> None:
    if not any(item.url_name == url_name for item in NAV):
        NAV.append(NavItem(label, url_name, rule, order, group))
        NAV.sort(key=lambda item: item.order)


def dashboard_panel(
    template: str, context: Callable[[object], dict | None], *, order: int = 50
) -> None:
    if not any(panel.template == template for panel in PANELS):
        PANELS.append(DashboardPanel(template, context, order))
        PANELS.sort(key=lambda panel: panel.order)


def record_section(
    record: str,
    template: str,
    context: Callable[[object, object], dict | None],
    *,
    order: int = 50,
) -> None:
    if not any(s.record == record and s.template == template for s in SECTIONS):
        SECTIONS.append(RecordSection(record, template, context, order))
        SECTIONS.sort(key=lambda section: section.order)


def sections_for(record: str, request, obj) -> list[dict]:
    """The sections other modules add to the page of `obj` (a `record` such as "participant")."""
    rendered = []
    for section in SECTIONS:
        if section.record != record:
            continue
        context = section.context(request, obj)
        if context is not None:
            rendered.append({"template": section.template, "context": context})
    return rendered


def nav_for(user) -> list[dict]:
    """The menu for `user`: links, and groups where two or more links of
    one group are visible ({"label", "links"}); a group's place is that of its first link."""
    from mosty.access.policy import can

    visible = [
        item
        for item in NAV
        if item.rule is None or (user.is_authenticated and can(user, item.rule))
    ]
    counts: dict[str, int] = {}
    for item in visible:
        if item.group is not None:
            counts[str(item.group)] = counts.get(str(item.group), 0) + 1
    menu: list[dict] = []
    groups: dict[str, dict] = {}
    for item in visible:
        link = {"label": item.label, "url": reverse(item.url_name)}
        key = str(item.group) if item.group is not None else None
        if key is None or counts[key] < 2:
            menu.append(link)
        elif key in groups:
            groups[key]["links"].append(link)
        else:
            groups[key] = {"label": item.group, "links": [link]}
            menu.append(groups[key])
    return menu


def panels_for(request) -> list[dict]:
    rendered = []
    for panel in PANELS:
        context = panel.context(request)
        if context is not None:
            rendered.append({"template": panel.template, "context": context})
    return rendered
