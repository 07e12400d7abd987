"""The engine: hard constraints always hold, the total is optimal, every result is explained."""

import itertools
import random

import numpy as np
import pytest
from django.utils import translation

from mosty.mentoring.matching import (
    Engine,
    MentorData,
    ParticipantData,
    explain,
    greedy_total,
    pair_check,
)
from mosty.mentoring.models import Interest, Slot

CENTROIDS = {
    "a": (54.348, 18.653),
    "b": (54.375, 18.600),
    "c": (54.410, 18.560),
    "d": (54.300, 18.700),
}
LANGS = ["pl", "uk", "ru", "ar", "ti"]
LEVELS = ["native", "C1", "B1", "A2"]


def random_instance(rng: random.Random, n_p: int, n_m: int):
    participants = [
        ParticipantData(
            id=100 + i,
            languages={c: rng.choice(LEVELS) for c in rng.sample(LANGS, rng.randint(1, 2))},
            district=rng.choice([*CENTROIDS, None]),
            interests=tuple(rng.sample(Interest.values, rng.randint(0, 3))),
            slots=tuple(rng.sample(Slot.values, rng.randint(0, 4))),
            gender=rng.choice(["female", "male"]),
            minors=rng.random() < 0.3,
            has_children=rng.random() < 0.3,
            wants_gender=rng.choice(["", "", "", "female"]),
        )
        for i in range(n_p)
    ]
    mentors = [
        MentorData(
            id=500 + j,
            languages={c: rng.choice(LEVELS) for c in rng.sample(LANGS[:4], rng.randint(1, 2))},
            district=rng.choice([*CENTROIDS, None]),
            interests=tuple(rng.sample(Interest.values, rng.randint(0, 3))),
            slots=tuple(rng.sample(Slot.values, rng.randint(0, 4))),
            capacity=rng.randint(0, 2),
            certificate=rng.random() < 0.5,
            women_only=rng.random() < 0.2,
            kind=rng.choice(["individual", "family", "group"]),
            gender=rng.choice(["female", "male"]),
        )
        for j in range(n_m)
    ]
    return participants, mentors


def brute_force_best(engine: Engine) -> float:
    """The best total score over every assignment that respects the hard constraints."""
    n_p, n_m = len(engine.participants), len(engine.mentors)
    pi, mi = np.repeat(np.arange(n_p), n_m), np.tile(np.arange(n_m), n_p)
    ok = engine.feasible(pi, mi)
    score = engine.total(engine.score_parts(pi, mi))
    table = {(int(p), int(m)): float(s) for p, m, s, f in zip(pi, mi, score, ok, strict=True) if f}
    best = 0.0
    choices = [[None, *range(n_m)] for _ in range(n_p)]
    for assignment in itertools.product(*choices):
        used = [0] * n_m
        total = 0.0
        for p, m in enumerate(assignment):
            if m is None:
                continue
            if (p, m) not in table:
                break
            used[m] += 1
            if used[m] > engine.mentors[m].capacity:
                break
            total += table[(p, m)]
        else:
            best = max(best, total)
    return best


def check_constraints(result, participants, mentors):
    by_p = {p.id: p for p in participants}
    by_m = {m.id: m for m in mentors}
    load: dict[int, int] = {}
    seen = set()
    for proposal in result.proposals:
        p, m = by_p[proposal.participant_id], by_m[proposal.mentor_id]
        assert p.id not in seen, "a participant proposed twice"
        seen.add(p.id)
        assert set(p.languages) & set(m.languages), "a match without a shared language"
        load[m.id] = load.get(m.id, 0) + 1
        assert load[m.id] <= m.capacity, "a mentor over capacity"
        if p.minors:
            assert m.certificate and not m.no_minors, "minors with an unchecked mentor"
        if m.women_only:
            assert p.gender == "female"
        if p.wants_gender:
            assert m.gender == p.wants_gender
        assert m.id not in p.declined


@pytest.mark.parametrize("seed", range(60))
def test_optimal_against_brute_force_and_constraints_hold(seed):
    rng = random.Random(seed)
    participants, mentors = random_instance(rng, rng.randint(1, 5), rng.randint(1, 4))
    engine = Engine(participants, mentors, centroids=CENTROIDS, weights={"max_candidates": 99})
    result = engine.run()
    check_constraints(result, participants, mentors)
    assert result.total_score == pytest.approx(brute_force_best(engine), abs=1e-3)
    assert len(result.proposals) + len(result.unmatched) == len(participants)


@pytest.mark.parametrize("seed", range(5))
def test_constraints_hold_on_larger_instances_with_pruned_candidates(seed):
    rng = random.Random(1000 + seed)
    participants, mentors = random_instance(rng, 300, 200)
    result = Engine(
        participants, mentors, centroids=CENTROIDS, weights={"max_candidates": 10}
    ).run()
    check_constraints(result, participants, mentors)
    assert result.proposals
    # Never worse than the greedy baseline on the same candidate graph.
    engine = Engine(participants, mentors, centroids=CENTROIDS, weights={"max_candidates": 10})
    capacity = engine.M.capacity
    assert result.total_score >= greedy_total(result.edges, capacity) - 1e-6


def test_solver_beats_greedy_where_greedy_blocks_someone():
    # Greedy gives the best pair (p1-m1) first and leaves p2 with nobody; optimal matches both.
    p1 = ParticipantData(1, {"uk": "native", "ru": "native"}, district="a")
    p2 = ParticipantData(2, {"uk": "A2"}, district="a")
    m1 = MentorData(10, {"uk": "native", "ru": "native"}, district="a")
    m2 = MentorData(11, {"ru": "native"}, district="a")
    result = Engine([p1, p2], [m1, m2], centroids=CENTROIDS).run()
    assert {(x.participant_id, x.mentor_id) for x in result.proposals} == {(1, 11), (2, 10)}


def test_never_without_shared_language_and_unmatched_reason_names_it():
    p = ParticipantData(1, {"ti": "native"}, district="a")
    m = MentorData(10, {"pl": "native", "uk": "C1"}, district="a")
    with translation.override("en"):
        result = Engine([p], [m], centroids=CENTROIDS).run()
    assert result.proposals == []
    assert result.unmatched[0].reason == "No approved mentor speaks Tigrinya."


def test_minors_only_with_certificate_checked_mentor():
    child = ParticipantData(1, {"uk": "native"}, district="a", minors=True)
    unchecked = MentorData(10, {"uk": "native"}, district="a", certificate=False)
    with translation.override("en"):
        result = Engine([child], [unchecked], centroids=CENTROIDS).run()
        assert result.proposals == []
        assert "criminal-record certificate" in result.unmatched[0].reason
        checked = MentorData(11, {"uk": "B1"}, district="d", certificate=True)
        result = Engine([child], [unchecked, checked], centroids=CENTROIDS).run()
    assert [(x.participant_id, x.mentor_id) for x in result.proposals] == [(1, 11)]


def test_capacity_is_never_exceeded_and_full_capacity_explained():
    people = [ParticipantData(i, {"uk": "native"}, district="a") for i in range(5)]
    mentor = MentorData(10, {"uk": "native"}, district="a", capacity=2)
    full = MentorData(11, {"uk": "native"}, district="a", capacity=0)
    with translation.override("en"):
        result = Engine(people, [mentor, full], centroids=CENTROIDS).run()
        assert len(result.proposals) == 2
        assert {x.mentor_id for x in result.proposals} == {10}
        assert "proposed to someone else" in result.unmatched[0].reason
        result = Engine(people, [full], centroids=CENTROIDS).run()
    assert result.unmatched[0].reason == (
        "Every approved mentor who speaks Ukrainian is at full capacity."
    )


def test_stated_preferences_are_hard_constraints():
    p = ParticipantData(1, {"ar": "native"}, district="a", gender="female", wants_gender="female")
    man = MentorData(10, {"ar": "native"}, district="a", gender="male")
    woman = MentorData(11, {"ar": "B1"}, district="c", gender="female")
    result = Engine([p], [man, woman], centroids=CENTROIDS).run()
    assert [x.mentor_id for x in result.proposals] == [11]
    male = ParticipantData(2, {"ar": "native"}, district="a", gender="male")
    women_only = MentorData(12, {"ar": "native"}, district="a", women_only=True)
    assert Engine([male], [women_only], centroids=CENTROIDS).run().proposals == []
    declined = ParticipantData(3, {"ar": "native"}, district="a", declined=frozenset({12}))
    assert Engine([declined], [women_only], centroids=CENTROIDS).run().proposals == []


def test_explanation_in_plain_language():
    p = ParticipantData(
        1,
        {"uk": "native", "ru": "C1"},
        district="a",
        interests=("football", "music"),
        slots=("tue-evening",),
    )
    m = MentorData(
        10,
        {"ru": "native", "uk": "C1", "pl": "native"},
        district="b",
        interests=("football", "cooking"),
        slots=("tue-evening", "sat-morning"),
    )
    with translation.override("en"):
        result = Engine([p], [m], centroids=CENTROIDS).run()
        text = result.proposals[0].text
    assert text.startswith("speaks Ukrainian and Russian; ")
    assert " km apart; both like football; free on Tuesday evenings" in text
    with translation.override("pl"):
        assert "km" in explain(result.proposals[0].parts)


def test_closer_and_more_in_common_scores_higher():
    p = ParticipantData(1, {"uk": "native"}, district="a", interests=("music",))
    near = MentorData(10, {"uk": "native"}, district="a", interests=("music",))
    far = MentorData(11, {"uk": "native"}, district="c")
    result = Engine([p], [near, far], centroids=CENTROIDS).run()
    assert result.proposals[0].mentor_id == 10
    errors_near, score_near, _ = pair_check(p, near, centroids=CENTROIDS)
    errors_far, score_far, _ = pair_check(p, far, centroids=CENTROIDS)
    assert errors_near == errors_far == []
    assert score_near > score_far


def test_pair_check_reports_each_broken_constraint():
    child = ParticipantData(
        1, {"ti": "native"}, minors=True, gender="male", wants_kinds=("family",)
    )
    m = MentorData(10, {"pl": "native"}, capacity=0, women_only=True)
    with translation.override("en"):
        errors, _score, _parts = pair_check(child, m, centroids=CENTROIDS)
    assert len(errors) == 5
    assert "They have no language in common." in errors


def test_weights_come_from_one_place_and_can_be_overridden():
    p = ParticipantData(1, {"uk": "native"}, district="a", interests=("music", "art"))
    near = MentorData(10, {"uk": "native"}, district="a")
    likes = MentorData(11, {"uk": "native"}, district="c", interests=("music", "art"))
    default = Engine([p], [near, likes], centroids=CENTROIDS).run()
    assert default.proposals[0].mentor_id == 10
    tuned = Engine(
        [p], [near, likes], centroids=CENTROIDS, weights={"distance": 0.0, "interests": 5}
    ).run()
    assert tuned.proposals[0].mentor_id == 11


def test_a_crowded_district_reaches_further_than_its_nearest_mentors():
    # 60 people in one district, 60 single-place mentors spread over the city: with only
    # 10 candidates each, everyone in the district used to compete for the same nearest 10.
    people = [ParticipantData(i, {"uk": "native"}, district="a") for i in range(60)]
    mentors = [
        MentorData(100 + j, {"uk": "B1"}, district="abcd"[j % 4], capacity=1) for j in range(60)
    ]
    engine = Engine(people, mentors, centroids=CENTROIDS, weights={"max_candidates": 10})
    result = engine.run()
    assert len(result.proposals) == 60
    # ... and the nearest mentors still go to them.
    assert {x.mentor_id for x in result.proposals} == {m.id for m in mentors}
    without_pool = Engine(
        people,
        mentors,
        centroids=CENTROIDS,
        weights={"max_candidates": 10, "pool_per_participant": 0},
    ).run()
    assert len(without_pool.proposals) < 60


def test_graph_from_unsorted_edges_is_the_same_graph():
    rng = random.Random(7)
    participants, mentors = random_instance(rng, 40, 30)
    engine = Engine(participants, mentors, centroids=CENTROIDS, weights={"max_candidates": 8})
    pi, mi = engine.candidates()
    ok = engine.feasible(pi, mi)
    pi, mi = pi[ok], mi[ok]
    score = engine.total(engine.score_parts(pi, mi))
    graph, rows, owners = engine.build_graph(pi, mi, score)
    shuffle = np.random.default_rng(1).permutation(len(pi))
    graph2, rows2, owners2 = engine.build_graph(pi[shuffle], mi[shuffle], score[shuffle])
    # The CSR arrays are built directly: they must be what scipy would build itself.
    canonical = graph.tocoo().tocsr()
    canonical.sort_indices()
    assert (graph != canonical).nnz == 0 and (graph.indices == canonical.indices).all()
    assert (graph != graph2).nnz == 0
    assert (rows == rows2).all() and (owners == owners2).all()


@pytest.mark.parametrize(
    "language, expected",
    [
        ("pl", "ukraiński, polski i rosyjski"),
        ("fr", "ukrainien, polonais et russe"),
        ("ar", " و"),  # CLDR's Arabic list: the conjunction joins the next word, no comma
    ],
)
def test_explanation_lists_follow_the_languages_own_pattern(language, expected):
    """Lists in explanations come from CLDR's list patterns, not a glued translated "and"."""
    p = ParticipantData(1, {"uk": "native", "ru": "C1", "pl": "B2"}, district="a")
    m = MentorData(10, {"ru": "native", "uk": "C1", "pl": "native"}, district="a")
    with translation.override(language):
        text = Engine([p], [m], centroids=CENTROIDS).run().proposals[0].text
    assert expected in text
    assert " and " not in text


@pytest.mark.parametrize("language, separator", [("fr", "\u00a0; "), ("ar", "؛ "), ("en", "; ")])
def test_reasons_are_separated_by_the_languages_own_semicolon(language, separator):
    p = ParticipantData(1, {"uk": "native"}, district="a", interests=("football",))
    m = MentorData(10, {"uk": "native"}, district="a", interests=("football",))
    with translation.override(language):
        text = Engine([p], [m], centroids=CENTROIDS).run().proposals[0].text
    assert separator in text
