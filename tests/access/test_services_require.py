"""Every public service asks the policy: a service function that never calls `require()` fails
the suite, the way a URL without an access-matrix entry does.

A function counts as asking when its body calls `require(...)`, or calls a function of the same
module that does (`referral_accept` -> `_referral_move` -> `require`). Public functions of a
`services.py` that are not a person's action (helpers, steps of a background task) are listed
below with the reason; anything else must ask.
"""

import ast
from pathlib import Path

import pytest

import mosty

ROOT = Path(mosty.__file__).parent

NOT_A_PERSONS_ACTION = {
    "cases.referrals_withdraw_for_consent": (
        "follows a consent withdrawal already allowed (consent.withdraw or "
        "portal.consent.withdraw), sent by people.signals; acts only while no consent to "
        "referrals is active"
    ),
    "directory.languages_clean": "normalises a list of language codes",
    "directory.parse_pairs": "parses language pairs typed into a form",
    "directory.category_ensure": "HSDS import and the city pack keep the category vocabulary",
    "events.confirmed_count": "a count read inside the registration services",
    "portal.already_handled_message": (
        "the sentence a second answer to a request for help is refused with; writes nothing"
    ),
    "portal.portal_access_end": (
        "follows a consent withdrawal already allowed (consent.withdraw or "
        "portal.consent.withdraw), sent by people.signals"
    ),
    "events.reminder_schedule": "schedules the reminder task of a registration already made",
    "knowledge.article_view_count": (
        "an anonymous reader's page view, counted in an aggregate counter that names no one"
    ),
    "knowledge.machine_translate": "the HTTP call to the translation service; writes nothing",
    "mentoring.mentor_email_taken": "a duplicate check the public form shows as a field error",
    "mentoring.open_counts": "counts for the matching page, read after match.list",
    "networks.network_invitation_accept": (
        "a person holding an invitation link, logged in with the invited address: the link is "
        "the permission"
    ),
    "networks.network_invitation_accept_new": (
        "a visitor holding an invitation link creates their account: the link is the permission"
    ),
    "organisations.unique_slug": "finds a free short name",
    "people.new_code": "draws a pseudonymous code",
    "people.consent_active": "reads a participant's consent for a service that asked already",
    "people.consent_require": "consent check inside services that asked already",
    "portal.invitation_find": "reads the open invitation a code names; writes nothing",
    "portal.invitation_accept": "a visitor holding an invitation code: the code is the permission",
}


def _service_modules():
    for path in sorted(ROOT.glob("*/services.py")) + sorted(ROOT.glob("*/services/*.py")):
        app = path.relative_to(ROOT).parts[0]
        yield app, path


def _called_names(node) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute):
                names.add(func.attr)
    return names


def _functions_that_ask(tree) -> tuple[dict[str, ast.FunctionDef], set[str]]:
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    calls = {name: _called_names(node) for name, node in functions.items()}
    asking = {name for name, called in calls.items() if "require" in called}
    grew = True
    while grew:
        grew = False
        for name, called in calls.items():
            if name not in asking and called & asking:
                asking.add(name)
                grew = True
    return functions, asking


def _public_services():
    found = []
    for app, path in _service_modules():
        functions, asking = _functions_that_ask(ast.parse(path.read_text()))
        for name in functions:
            if not name.startswith("_"):
                found.append((f"{app}.{name}", name in asking))
    return found


def test_every_public_service_calls_require():
    silent = sorted(
        name for name, asks in _public_services() if not asks and name not in NOT_A_PERSONS_ACTION
    )
    assert not silent, (
        "public service functions that never call require() (ask the policy, or make the "
        "function private, or list it with the reason in NOT_A_PERSONS_ACTION):\n  "
        + "\n  ".join(silent)
    )


def test_exemptions_are_not_stale():
    services = dict(_public_services())
    stale = sorted(name for name in NOT_A_PERSONS_ACTION if name not in services or services[name])
    assert not stale, f"exemptions for functions that are gone or now call require(): {stale}"


@pytest.mark.parametrize(
    ("source", "asks"),
    [
        ("def thing_create(*, by):\n    require(by, 'x')\n", True),
        (
            "def thing_create(*, by):\n    _check(by)\n\ndef _check(by):\n    require(by, 'x')\n",
            True,
        ),
        ("def thing_create(*, by):\n    can(by, 'x')\n    Thing.objects.create()\n", False),
    ],
)
def test_the_check_itself_tells_asking_from_silent(source, asks):
    _functions, asking = _functions_that_ask(ast.parse(source))
    assert ("thing_create" in asking) is asks
