"""What a request may make a form do is bounded, whatever it sends.

Every form's choice of several records takes `mosty.core.forms.ModelMultipleChoiceField`:
Django's checks the submitted keys with an `__in` lookup, without the range check of its
exact lookups: on SQLite a number larger than the database's integers is a server error, not
an invalid choice. A ModelForm's many-to-many field is Django's unless `field_classes` names
ours; this fails on any form that forgets (`tests/core/test_bad_forms.py` finds the same on
the forms the demo walk reaches).

Every formset builds at most `max_num` forms: Django builds up to 1,000 more when the
management form asks for them, and a tampered count of forms kept a worker busy for 18
seconds on the event form.
"""

import importlib
import pkgutil

from django import forms

import mosty
from mosty.core.forms import ModelMultipleChoiceField


def _subclasses(base: type) -> list[type]:
    found, todo = [], [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("mosty.") or sub.__module__.startswith("django.forms"):
                found.append(sub)
    return found


def _form_classes() -> list[type]:
    for module in pkgutil.walk_packages(mosty.__path__, "mosty."):
        if module.name.rsplit(".", 1)[-1] == "forms":
            importlib.import_module(module.name)
    return [cls for cls in _subclasses(forms.BaseForm) if cls.__module__.startswith("mosty.")]


def test_every_multiple_record_choice_checks_its_keys():
    classes = _form_classes()
    assert len(classes) > 50
    plain = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in classes
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.ModelMultipleChoiceField)
        and not isinstance(field, ModelMultipleChoiceField)
    ]
    assert not plain, plain


def test_every_formset_builds_at_most_its_maximum():
    _form_classes()  # imports every app's forms
    formsets = [cls for cls in _subclasses(forms.BaseFormSet) if hasattr(cls, "absolute_max")]
    mosty_formsets = [
        cls
        for cls in formsets
        if any(c.__module__.startswith("mosty.") for c in cls.form.__mro__)
        or getattr(getattr(cls, "model", None), "__module__", "").startswith("mosty.")
    ]
    assert len(mosty_formsets) >= 4
    unbounded = [
        f"{cls.__name__} of {cls.form.__name__}: {cls.absolute_max} > {cls.max_num}"
        for cls in mosty_formsets
        if cls.absolute_max > cls.max_num
    ]
    assert not unbounded, unbounded
