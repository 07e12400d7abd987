"""Access is decided in `mosty/access/` only (docs/access-policy.md): outside it, no module reads
roles, superuser flags or Django permissions to decide for itself. A module that needs "the
organisations where this user may X" asks its access domain for it (e.g.
`participant_owner_organisations`, `case_organisations`), so a rule changes in one place."""

import re
from pathlib import Path

import mosty

ROOT = Path(mosty.__file__).parent

DECIDING = [
    (re.compile(r"\bmosty\.access\.roles\b"), "reads roles (mosty.access.roles)"),
    (re.compile(r"\.is_superuser\b"), "tests is_superuser"),
    (re.compile(r"\.has_perm\("), "asks a Django permission"),
]


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] == "access" or "migrations" in parts:
            continue
        yield path


def test_no_module_decides_access_by_itself():
    found = []
    for path in _sources():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for pattern, what in DECIDING:
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT.parent)}:{number}: {what}")
    assert not found, "access decided outside mosty/access/:\n  " + "\n  ".join(found)


def test_the_check_sees_a_role_test():
    line = "from mosty.access.roles import orgs_where"
    assert any(pattern.search(line) for pattern, _what in DECIDING)
