"""The indicator registry: every indicator is named and defined in every language, and counts
what its definition says (distinct people, sessions' own hours, organisation records)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from mosty.cases.models import SupportLog
from mosty.core.indicators import INDICATORS, Scope
from mosty.events.models import Attendance
from mosty.mentoring.models import MatchStatus
from tests.cases.factories import make_case, make_participant
from tests.events.factories import make_event, make_registration
from tests.factories import OrganisationFactory
from tests.mentoring.factories import MatchFactory, MeetingFactory, MentorFactory

LANGUAGES = ("pl", "en", "uk", "ru", "ar", "fa", "fr")


def _scope(org=None, days=60):
    today = timezone.localdate()
    return Scope(
        start=today - datetime.timedelta(days=days),
        end=today + datetime.timedelta(days=days),
        organisations=frozenset({org.pk}) if org is not None else None,
    )


def _past_event(org, sessions=2, **kw):
    start = (timezone.now() - datetime.timedelta(days=20)).replace(second=0, microsecond=0)
    return make_event(org, sessions=sessions, start=start, **kw)


def _attend(registration, sessions=None):
    for session in sessions or registration.event.sessions.all():
        Attendance.objects.create(session=session, registration=registration, present=True)


def test_every_indicator_has_a_name_and_definition_in_every_language():
    assert len(INDICATORS) >= 15
    for code, found in INDICATORS.items():
        with translation.override("en"):
            english = (str(found.name), str(found.definition))
        for language in LANGUAGES:
            with translation.override(language):
                name, definition = str(found.name), str(found.definition)
            assert name.strip() and definition.strip(), (code, language)
            if language not in ("en",):
                assert (name, definition) != english, f"{code} is not translated to {language}"
        assert found.unit, code


@pytest.mark.django_db
def test_event_participants_count_people_not_registrations(world):
    participant = make_participant(world)
    scope = _scope(world.org_a)
    for title in ("A", "B", "C"):  # one person at three trainings
        _attend(make_registration(_past_event(world.org_a, title=title), participant=participant))
    # Two people registered without a participant record, one of them twice with the same
    # e-mail address in another case, plus one who registered but never came.
    event = _past_event(world.org_a, title="D")
    _attend(make_registration(event, name="Ali R.", email="ali@example.org"))
    _attend(make_registration(_past_event(world.org_a), name="Ali R", email="ALI@example.org"))
    _attend(make_registration(event, name="Maria S.", email="maria@example.org"))
    make_registration(event, name="Absent Person", email="absent@example.org")
    assert INDICATORS["events.participants"].value(scope) == 3
    # Another organisation's events are not in the scope.
    _attend(make_registration(_past_event(world.org_b), name="Other", email="o@example.org"))
    assert INDICATORS["events.participants"].value(scope) == 3
    assert INDICATORS["events.participants"].value(_scope()) == 4


@pytest.mark.django_db
def test_programme_hours_are_the_sessions_own_hours(world):
    event = _past_event(world.org_a, sessions=3)  # three sessions of two hours
    for n in range(5):
        _attend(make_registration(event, name=f"Person {n}"))
    assert INDICATORS["events.programme_hours"].value(_scope(world.org_a)) == Decimal("6.0")
    assert INDICATORS["events.sessions_held"].value(_scope(world.org_a)) == 3
    # Linked to a programme: only its events count.
    other = _past_event(world.org_a, sessions=1)
    only = Scope(**{**_scope(world.org_a).__dict__, "events": frozenset({other.pk})})
    assert INDICATORS["events.programme_hours"].value(only) == Decimal("2.0")


@pytest.mark.django_db
def test_sessions_not_yet_held_or_called_off_are_not_counted(world):
    """A donor's report over this year counted next week's sessions, and those of a course
    called off, as held: hours, sessions and events inflated."""
    start = (timezone.now() - datetime.timedelta(days=10)).replace(second=0, microsecond=0)
    event = make_event(world.org_a, sessions=3, start=start)  # 10 and 3 days ago, in 4 days
    assert INDICATORS["events.programme_hours"].value(_scope(world.org_a)) == Decimal("4.0")
    assert INDICATORS["events.sessions_held"].value(_scope(world.org_a)) == 2
    make_event(world.org_a, sessions=2)  # next week's course: nothing held yet
    assert INDICATORS["events.events_held"].value(_scope(world.org_a)) == 1
    # Called off five days ago: the session before still counts, the later ones do not.
    event.cancelled_at = timezone.now() - datetime.timedelta(days=5)
    event.save(update_fields=["cancelled_at"])
    earlier = _past_event(world.org_a, sessions=2)
    earlier.cancelled_at = earlier.sessions.order_by("starts_at").last().starts_at
    earlier.save(update_fields=["cancelled_at"])
    assert INDICATORS["events.sessions_held"].value(_scope(world.org_a)) == 2
    assert INDICATORS["events.programme_hours"].value(_scope(world.org_a)) == Decimal("4.0")
    assert INDICATORS["events.events_held"].value(_scope(world.org_a)) == 2


@pytest.mark.django_db
def test_institutions_trained_are_organisation_records(world):
    school = OrganisationFactory(name="Szkoła Podstawowa nr 5", kind="school")
    training = _past_event(world.org_a, kind="staff_training", sessions=1)
    # Typed three ways, one organisation; a staff member's account points at org B.
    for typed in ("Szkoła Podstawowa nr 5", "szkoła  podstawowa NR 5 ", "SZKOŁA PODSTAWOWA NR 5"):
        _attend(make_registration(training, name="T", institution=typed, audience="staff"))
    _attend(make_registration(training, name="U", user=world.user("institution_staff", "b")))
    _attend(make_registration(training, name="V", institution="Przedszkole Tęcza"))
    scope = _scope(world.org_a)
    assert INDICATORS["events.institutions_trained"].value(scope) == 3
    assert school.pk  # the record the typed names resolve to


@pytest.mark.django_db
def test_case_and_referral_indicators(world):
    case = make_case(world)
    make_case(world, org="b")
    SupportLog.objects.create(
        case=case, kind="legal", happened_on=timezone.localdate(), minutes=45, by=case.lead
    )
    SupportLog.objects.create(
        case=case, kind="material", happened_on=timezone.localdate(), minutes=30, by=case.lead
    )
    scope = _scope(world.org_a)
    assert INDICATORS["cases.opened"].value(scope) == 1
    assert INDICATORS["cases.opened"].value(_scope()) == 2
    assert INDICATORS["cases.support_minutes"].value(scope) == 75
    assert INDICATORS["cases.support_minutes"].split(scope, "kind") == {"legal": 45, "material": 30}


@pytest.mark.django_db
def test_mentoring_indicators(world):
    mentor = MentorFactory(organisation=world.org_a)
    match = MatchFactory(
        mentor=mentor, started_on=timezone.localdate() - datetime.timedelta(days=10)
    )
    MeetingFactory(match=match, minutes=90)
    MeetingFactory(match=match, minutes=30)
    MatchFactory(mentor=MentorFactory(organisation=world.org_a), status=MatchStatus.PROPOSED)
    scope = _scope(world.org_a)
    assert INDICATORS["mentoring.matches_active"].value(scope) == 1
    assert INDICATORS["mentoring.meeting_hours"].value(scope) == Decimal("2.0")
    assert INDICATORS["mentoring.match_duration"].value(scope) == Decimal("10.0")


@pytest.mark.django_db
def test_one_person_in_every_module_is_one_beneficiary(world):
    person = make_participant(world, email="olena@example.org")
    make_case(world, participant=person)
    MatchFactory(mentor=MentorFactory(organisation=world.org_a), participant=person)
    event = _past_event(world.org_a)
    _attend(make_registration(event, participant=person))
    # The same person again, registered by e-mail only: still one.
    _attend(make_registration(event, name="Olena T.", email="Olena@example.org"))
    # Someone else, registered only by phone, twice.
    _attend(make_registration(event, name="Ivan", email="", phone="+48 600 111 222"))
    _attend(make_registration(_past_event(world.org_a), name="Iwan", email="", phone="600111222"))
    scope = _scope(world.org_a)
    assert INDICATORS["people.beneficiaries"].value(scope) == 2
    by_gender = INDICATORS["people.beneficiaries"].split(scope, "gender")
    assert sum(by_gender.values()) == 2


@pytest.mark.django_db
def test_breakdown_labels_are_in_the_readers_language_and_name_organisations():
    """A figure split by country reads "Afghanistan" to an English reader and "Афганістан"
    to a Ukrainian one (the names were frozen in Polish when the modules loaded), and a split
    by organisation names the organisation, not its number."""
    from mosty.core.indicators import breakdown_label

    org = OrganisationFactory(name="Fundacja Przykład")
    with translation.override("en"):
        assert breakdown_label("country", "AF") == "Afghanistan"
        assert breakdown_label("gender", "female") == "Female"
        assert breakdown_label("organisation", str(org.pk)) == "Fundacja Przykład"
    with translation.override("uk"):
        assert breakdown_label("country", "AF") == "Афганістан"
    with translation.override("pl"):
        assert breakdown_label("country", "AF") == "Afganistan"
        assert breakdown_label("gender", "female") == "Kobieta"
