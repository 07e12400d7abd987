"""The engine's input read from the database in columns matches the rows it describes."""

from dataclasses import replace

from django.utils import timezone

from mosty.mentoring import engine_data
from mosty.mentoring.matching import Engine
from mosty.mentoring.models import MatchStatus, VettingStatus
from mosty.people.models import Participant
from tests.mentoring.factories import MatchFactory, MentorFactory, waiting_participant
from tests.people.factories import ParticipantFactory


def test_loaded_columns_hold_capacity_declines_minors_and_wishes(world):
    org = world.org_a
    year = timezone.localdate().year
    busy = MentorFactory(organisation=org, capacity=2)
    MatchFactory(mentor=busy, status=MatchStatus.ACTIVE)  # holds one of its two places
    checked = MentorFactory(
        organisation=org,
        capacity=1,
        gender="male",
        kind="family",
        languages=[{"code": "uk", "level": "native"}],
        certificate_checked_at=timezone.now(),
    )
    MentorFactory(organisation=org, status=VettingStatus.APPLIED)  # not approved: left out
    adult = waiting_participant(org, gender="female")
    teen = waiting_participant(org, birth_year=year - 15)
    declined = waiting_participant(org)
    MatchFactory(mentor=checked, participant=declined, status=MatchStatus.DECLINED)
    ParticipantFactory(owner=org)  # no consent to mentoring: left out

    engine = engine_data.engine(
        participants_qs=Participant.objects.filter(owner=org), organisation_ids=[org.pk]
    )
    p_at = {pk: i for i, pk in enumerate(engine.P.ids.tolist())}
    m_at = {pk: i for i, pk in enumerate(engine.M.ids.tolist())}
    assert set(p_at) == {adult.pk, teen.pk, declined.pk}
    assert set(m_at) == {busy.pk, checked.pk}
    assert engine.M.capacity[m_at[busy.pk]] == 1
    assert bool(engine.M.minors_ok[m_at[checked.pk]]) and not engine.M.minors_ok[m_at[busy.pk]]
    assert bool(engine.P.minors[p_at[teen.pk]]) and not engine.P.minors[p_at[adult.pk]]
    assert bool(engine.P.female[p_at[adult.pk]])
    assert engine.declined == [(p_at[declined.pk], checked.pk)]
    assert engine.P.languages[p_at[adult.pk]] == {"uk": "native"}

    # The same people as rows give the same proposals.
    people = [
        engine_data.participant_data(p)
        for p in Participant.objects.filter(pk__in=list(p_at)).order_by("pk")
    ]
    people = [
        replace(x, declined=frozenset({checked.pk})) if x.id == declined.pk else x for x in people
    ]
    rows = Engine(
        people,
        [engine_data.mentor_data(busy, free=1), engine_data.mentor_data(checked, free=1)],
        centroids=engine_data.centroids(),
        weights=engine_data.weights(),
    )
    by_columns = {(x.participant_id, x.mentor_id, x.score) for x in engine.run().proposals}
    by_rows = {(x.participant_id, x.mentor_id, x.score) for x in rows.run().proposals}
    assert by_columns == by_rows
    assert (teen.pk, checked.pk) in {(p, m) for p, m, _ in by_columns}
