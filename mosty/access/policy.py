"""can(user, action, obj): the one place that answers "may this user do this?".

Each domain module in `mosty.access.domains` adds its rules with `POLICY.add_rule()`; views, API
and templates (`{% can %}`) ask `can()` or `require()`, never decide by themselves.
"""

from __future__ import annotations

import importlib
import pkgutil

import rules
from django.core.exceptions import PermissionDenied

POLICY = rules.RuleSet()


class UnknownAction(LookupError):
    """Asking about an action no rule defines is a programming error, not a 'no'."""


def can(user, action: str, obj=None) -> bool:
    if not POLICY.rule_exists(action):
        raise UnknownAction(action)
    return bool(POLICY.test_rule(action, user, obj))


def require(user, action: str, obj=None) -> None:
    """Raise PermissionDenied (audited by middleware) unless `can()` says yes."""
    if not can(user, action, obj):
        raise PermissionDenied(action)


def load_domains() -> None:
    from mosty.access import domains

    for module in pkgutil.iter_modules(domains.__path__):
        importlib.import_module(f"{domains.__name__}.{module.name}")
