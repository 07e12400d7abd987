"""The shared record pieces (mosty/core/models.py): optimistic locking and the audit label."""

import datetime

import pytest
from django.utils import translation

from mosty.access.audit import acting_as
from mosty.access.models import AuditEvent
from mosty.core.models import EditConflict, Labelled, OwnedRecord, Versioned
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_save_changes_writes_and_bumps_the_version(world):
    case = make_case(world)
    case.save_changes(version=case.version, review_date=datetime.date(2030, 1, 1))
    case.refresh_from_db()
    assert case.review_date == datetime.date(2030, 1, 1)
    assert case.version == 2


def test_a_stale_version_is_refused_and_nothing_is_written(world):
    case = make_case(world)
    stale = case.version
    case.save_changes(version=stale, review_date=datetime.date(2030, 1, 1))
    with translation.override("pl"), pytest.raises(EditConflict) as exc:
        case.save_changes(version=stale, review_date=datetime.date(2031, 1, 1))
    assert exc.value.code == "conflict"
    assert "Odśwież stronę" in exc.value.messages[0]
    case.refresh_from_db()
    assert case.review_date == datetime.date(2030, 1, 1)


def test_save_changes_is_audited_with_its_actor(world):
    case = make_case(world)
    by = world.user("caseworker")
    with acting_as(by):
        case.save_changes(version=case.version, review_date=datetime.date(2030, 1, 1))
    event = AuditEvent.objects.filter(object_id=str(case.pk), action__endswith=".updated").last()
    assert event is not None and event.actor_id == by.pk


def test_default_audit_label_names_no_one():
    assert OwnedRecord._meta.abstract and Versioned._meta.abstract
    label = Labelled.audit_label.fget  # type: ignore[attr-defined]

    class Fake:
        pk = 7
        audit_noun = ""

        class _meta:
            model_name = "case"

    assert label(Fake()) == "case #7"

    class Named(Fake):
        audit_noun = "housing offer"

    assert label(Named()) == "housing offer #7"


def test_audit_labels_keep_their_english_nouns():
    """`audit_noun` replaced each model's own `audit_label`: the log reads as it did."""
    from mosty.cases.models import Note
    from mosty.directory.models import HousingOffer, Linguist
    from mosty.events.models import Event
    from mosty.mentoring.models import (
        CheckIn,
        Match,
        MatchProposal,
        Meeting,
        Mentor,
        MentoringProfile,
    )
    from mosty.people.models import Household, ParticipantImport

    expected = {
        Note: "note",
        HousingOffer: "housing offer",
        Linguist: "linguist",
        Event: "event",
        Mentor: "mentor",
        MentoringProfile: "mentoring wishes",
        Match: "match",
        Meeting: "meeting",
        CheckIn: "check-in",
        MatchProposal: "matching proposal",
        Household: "household",
        ParticipantImport: "import",
    }
    for model, noun in expected.items():
        assert model(pk=7).audit_label == f"{noun} #7", model


def test_records_take_the_shared_pieces_instead_of_declaring_them_again():
    """A model with both timestamps is `Timestamped`, with both authors `Authored`: the shared
    pieces are not written again field by field (a record with only `created_at`, such as a
    note that is never edited, declares that one field)."""
    from django.apps import apps

    from mosty.core.models import Authored, Timestamped

    pieces = {("created_at", "updated_at"): Timestamped, ("created_by", "updated_by"): Authored}
    written_again = [
        (model.__name__, base.__name__)
        for model in apps.get_models()
        if model.__module__.startswith("mosty.")
        for fields, base in pieces.items()
        if {field.name for field in model._meta.fields} >= set(fields)
        and not issubclass(model, base)
    ]
    assert written_again == []
