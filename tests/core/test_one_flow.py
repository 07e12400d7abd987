"""Every page of a module goes through the one flow of `core/pages.py` (issue 13).

A page that takes a form is a `FormPage` (or `ActionPage`, `ListPage` with a filter form)
declaration: the flow around the form (selector, `require`, bind, service, errors beside the
fields, message, redirect) is written once; a visitor's form without a page class (joining
the portal) goes through `core.pages.public_form_saved`. A function view that binds a form
itself is listed here with the reason the flow does not fit it, so a new one is a decision,
not a copy.
"""

from __future__ import annotations

import inspect

from django.urls import URLResolver, get_resolver
from rest_framework.views import APIView

from mosty.core.pages import StaffPage

# Pages written as functions that bind a form, and why the one flow does not fit.
OWN_FLOW = {
    "mosty.accounts.views.user_grants": (
        "a table of memberships with a give and a take button on each row; a refused "
        "change answers 400 with the table"
    ),
    "mosty.assistance.views.certificate": (
        "a PDF download; the form only reads the period from the address"
    ),
    "mosty.directory.views.housing_match": "a search: the form filters offers, nothing is saved",
    "mosty.directory.views.hsds_import": (
        "two steps on one form: a preview of the file, then its import only if the same "
        "file comes back"
    ),
    "mosty.events.views.event_calendar": (
        "a month grid: the form filters sessions, nothing is saved"
    ),
    "mosty.knowledge.views.xliff_export": "a file download; the form picks the language",
    "mosty.people.import_views.import_preview": (
        "the mapping form recomputes the preview and its duplicates on every post; the run "
        "is a task"
    ),
    "mosty.people.views.participant_intake": (
        "a search before registering: the form finds people, nothing is saved"
    ),
}


def _routed_views() -> set:
    def walk(resolver):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern)
            else:
                yield pattern.callback

    return set(walk(get_resolver()))


def test_every_module_page_that_binds_a_form_uses_the_one_flow():
    own_flow, other_classes = set(), set()
    for view in _routed_views():
        module = view.__module__
        if not module.startswith("mosty.") or module.startswith("mosty.core."):
            continue
        cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
        if cls is not None:
            if not issubclass(cls, (StaffPage, APIView)):
                other_classes.add(f"{module}.{cls.__name__}")
        elif "is_valid(" in inspect.getsource(inspect.unwrap(view)):
            own_flow.add(f"{module}.{view.__name__}")
    assert other_classes == set()
    assert own_flow == set(OWN_FLOW)
