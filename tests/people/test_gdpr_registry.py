"""The GDPR registry covers every model, like the access matrix covers every URL.

A model that reaches a participant through its relations (directly, or through a case, match,
registration, …) must be covered by a section that exports and erases it. Every other Mosty
model must be listed, with a reason, as holding someone else's personal data or none.
"""

from django.apps import apps
from django.db import models

from mosty.people import gdpr
from mosty.people.models import Participant


def _mosty_models():
    return [m for m in apps.get_models() if m.__module__.startswith("mosty.")]


def _reaches_participant() -> set[str]:
    """Labels of the models from which a chain of relations (FK, one-to-one, many-to-many)
    leads to Participant."""
    edges = {
        m._meta.label: {
            f.related_model._meta.label
            for f in m._meta.get_fields()
            if f.is_relation and f.concrete and f.related_model is not None
        }
        | {f.related_model._meta.label for f in m._meta.many_to_many}
        for m in apps.get_models()
    }
    target = Participant._meta.label
    reaching = {target}
    changed = True
    while changed:
        changed = False
        for label, targets in edges.items():
            if label not in reaching and targets & reaching:
                reaching.add(label)
                changed = True
    return reaching


def test_every_model_reaching_a_participant_has_an_export_and_an_erasure_rule():
    covered = gdpr.covered_models()
    missing = sorted(
        label
        for label in _reaches_participant()
        if label.split(".")[0] in {m._meta.app_label for m in _mosty_models()}
        and label not in covered
    )
    assert missing == [], (
        "These models hold data about a participant but no GDPR section exports and erases "
        f"them (add `models=[...]` to a section in mosty/<app>/gdpr.py): {missing}"
    )
    for key, section in gdpr.SECTIONS.items():
        if section.models:
            assert section.erase is not None, f"section {key!r} covers models but erases nothing"


def test_every_other_model_says_why_it_needs_no_section():
    covered = gdpr.covered_models()
    declared = set(covered) | set(gdpr.OTHER_PEOPLE) | set(gdpr.NO_PERSONAL_DATA)
    undeclared = sorted(m._meta.label for m in _mosty_models() if m._meta.label not in declared)
    assert undeclared == [], (
        "Every Mosty model is covered by a GDPR section (mosty.people.gdpr.register(models=...)) "
        "or listed in OTHER_PEOPLE / NO_PERSONAL_DATA with a reason: "
        f"{undeclared}"
    )
    exempt = set(gdpr.OTHER_PEOPLE) | set(gdpr.NO_PERSONAL_DATA)
    assert not exempt & set(covered), "a model is both covered and exempt"
    assert not exempt & _reaches_participant(), "a model reaching a participant cannot be exempt"
    known = {m._meta.label for m in _mosty_models()}
    assert declared <= known, f"stale entries: {sorted(declared - known)}"
    assert all(reason.strip() for reason in {**gdpr.OTHER_PEOPLE, **gdpr.NO_PERSONAL_DATA}.values())


# Staff accounts and the log itself are named in the log on purpose: the data controller must
# see who did what (and `actor_label` keeps that readable after an account is deleted).
NAMED_IN_THE_LOG = {"accounts.User", "accounts.Membership", "access.AuditEvent"}


def test_personal_models_never_name_the_person_in_the_audit_log():
    """The audit log is append-only and outlives erasure: it labels objects by audit_label,
    falling back to str(), which for many models is the person's name or the text itself."""
    personal = set(gdpr.covered_models()) | set(gdpr.OTHER_PEOPLE)
    without = sorted(
        label
        for label in personal - NAMED_IN_THE_LOG
        if not isinstance(getattr(apps.get_model(label), "audit_label", None), property)
    )
    assert without == []


def test_the_registry_test_fails_for_a_new_model_without_a_section():
    """A model pointing to a case (and so to a participant) is caught."""
    from mosty.cases.models import Case

    class Diary(models.Model):
        case = models.ForeignKey(Case, on_delete=models.CASCADE)
        text = models.TextField()

        class Meta:
            app_label = "cases"

        def __str__(self) -> str:
            return self.text

    try:
        assert "cases.Diary" in _reaches_participant()
        assert "cases.Diary" not in gdpr.covered_models()
    finally:
        apps.all_models["cases"].pop("diary", None)
        apps.clear_cache()
