"""The matching engine: a global assignment of participants to mentors that maximises the total
match quality under hard constraints, with a plain-language reason for every proposal and for
every participant left without one.

How it works
1. **Candidates**: mentors are ordered by centroid distance once per district; for each group
   of participants with the same district, languages and minors flag, one mask (speaks one of
   the languages, has a free place, and for minors a checked criminal-record certificate)
   filters that order into a pool of `max_candidates` mentors plus `pool_per_participant` per
   member, so a crowded district reaches as far as it must. Each participant gets
   `max_candidates` of the pool: the nearest half, and their own slice of the rest. No
   all-pairs loop. (`ranked_for` scores every mentor for one person, for matching by hand.)
2. **Hard constraints** (a shared language, free capacity, minors only with a certificate-checked
   mentor who accepts minors, the participant's wishes about the mentor's gender and kind, the
   mentor's "women only", pairs declined before) drop candidate edges, vectorised with numpy.
3. **Soft scores** (shared language strength, district distance by haversine between the city
   pack's centroids, shared interests, overlapping weekly slots, household fit) are combined with
   the weights in `DEFAULT_WEIGHTS`, overridable by the city pack's `matching` section.
4. **Solving**: a sparse bipartite graph (built straight into CSR arrays), participants x (mentor places + one "unmatched" node per
   participant), solved exactly by `scipy.sparse.csgraph.min_weight_full_bipartite_matching`
   (LAPJVsp). A mentor with capacity c has c place nodes; an edge costs 2 - score and the
   participant's own unmatched node costs 2, so the minimum-cost full matching is the assignment
   with the greatest total score (every real match, scoring > 0, beats leaving someone out).
   The result is optimal over the candidate graph; with `max_candidates` at least the number of
   mentors it is the global optimum (tests compare it with brute force).

Input: rows (`ParticipantData`, `MentorData`) or columns (`Side`, which `engine_data.engine`
reads from the database without a Python object per row).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from mosty.core.formats import join_list, language_name
from mosty.mentoring.models import LEVEL_STRENGTH, Interest, MentorKind, Slot

# Every scoring weight and tuning knob lives here; a city pack's `matching:` section may
# override any of them (see `mosty.mentoring.citypack`).
DEFAULT_WEIGHTS: dict[str, float] = {
    "language": 3.0,  # how well both sides speak their best shared language
    "distance": 2.0,  # closeness of the two districts' centroids
    "interests": 1.5,  # shared interests (two or more count fully)
    "availability": 1.5,  # overlapping weekly slots (two or more count fully)
    "household": 1.0,  # families with children with welcoming families, single adults with individuals
    "max_km": 12.0,  # distance at which the distance score reaches zero
    "max_candidates": 40,  # mentors considered per participant (graph sparsity)
    "pool_per_participant": 4.0,  # extra mentors a crowded group's candidate pool reaches for
    "score_window": 80,  # nearest mentors scored per participant to choose their best
}
SCORE_PARTS = ("language", "distance", "interests", "availability", "household")

KINDS = list(MentorKind.values)
GENDERS = ["", "female", "male", "other", "undisclosed"]
INTEREST_CODES = list(Interest.values)
SLOT_CODES = list(Slot.values)
KIND_NUMBER = {kind: i for i, kind in enumerate(KINDS)}
GENDER_NUMBER = {gender: i for i, gender in enumerate(GENDERS)}
INTEREST_BITS = {code: 1 << i for i, code in enumerate(INTEREST_CODES)}
SLOT_BITS = {code: 1 << i for i, code in enumerate(SLOT_CODES)}


@dataclass
class MentorData:
    id: int
    languages: dict[str, str]  # code -> level
    district: object = None  # any hashable key of `centroids`
    interests: tuple = ()
    slots: tuple = ()
    capacity: int = 1  # free places now
    certificate: bool = False
    no_minors: bool = False
    women_only: bool = False
    families_welcome: bool = True
    kind: str = MentorKind.INDIVIDUAL
    gender: str = ""


@dataclass
class ParticipantData:
    id: int
    languages: dict[str, str]
    district: object = None
    interests: tuple = ()
    slots: tuple = ()
    gender: str = ""
    minors: bool = False  # the participant is a minor or children take part
    has_children: bool = False
    wants_gender: str = ""
    wants_kinds: tuple = ()
    declined: frozenset = frozenset()  # mentor ids who declined or were rejected before


@dataclass
class Proposal:
    participant_id: int
    mentor_id: int
    score: float
    parts: dict  # structured explanation, see `explain()`
    text: str = ""  # `parts` rendered in the current language


@dataclass
class Unmatched:
    participant_id: int
    reason: str
    parts: dict = field(default_factory=dict)  # the reason as codes, see `why_unmatched_parts`


@dataclass
class MatchingResult:
    proposals: list[Proposal]
    unmatched: list[Unmatched]
    total_score: float
    graph: csr_matrix | None = None  # the solver's input, for benchmarks
    edges: dict = field(default_factory=dict)  # arrays of the candidate edges, for baselines


def weights_with(overrides: dict | None) -> dict[str, float]:
    merged = dict(DEFAULT_WEIGHTS)
    for key, value in (overrides or {}).items():
        if key in merged and isinstance(value, int | float) and value >= 0:
            merged[key] = float(value)
    return merged


def haversine_km(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0088 * 2 * np.arcsin(np.sqrt(a))


def code_bits(values, table) -> int:
    """Bit mask of codes (unknown codes count for nothing)."""
    bits = 0
    for value in values or ():
        bits |= table.get(value, 0)
    return bits


def _sorted_pairs(pi: np.ndarray, mi: np.ndarray, n_m: int) -> bool:
    keys = pi * n_m + mi
    return bool((keys[1:] > keys[:-1]).all())


class Side:
    """One side (participants or mentors) in columns, for vectorised scoring.

    `languages` holds one {code: level} dict per row (rows with equal languages may share one
    dict), `districts` the raw district keys, `interests` and `slots` bit masks (`code_bits`).
    The other columns are the side's flags, as given to `participants()` or `mentors()`.
    """

    def __init__(self, *, ids, languages, districts, interests, slots, **flags):
        self.ids = np.asarray(ids, dtype=np.int64)
        self.languages = languages
        self.districts = districts
        self.interests = np.asarray(interests, dtype=np.uint32)
        self.slots = np.asarray(slots, dtype=np.uint32)
        for name, values in flags.items():
            setattr(self, name, np.asarray(values))

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, lang_index: dict[str, int], district_index: dict) -> None:
        """Language levels and district positions against the engine's indexes."""
        # Rows with equal languages usually share one dict: one table row per distinct dict.
        distinct: dict[int, int] = {}
        dicts, row_of = [], []
        for languages in self.languages:
            k = distinct.get(id(languages))
            if k is None:
                k = distinct[id(languages)] = len(dicts)
                dicts.append(languages)
            row_of.append(k)
        table = np.zeros((len(dicts), max(len(lang_index), 1)), dtype=np.int8)
        for k, languages in enumerate(dicts):
            for code, level in languages.items():
                if code in lang_index:
                    table[k, lang_index[code]] = LEVEL_STRENGTH.get(level, 1)
        self.levels = table[np.array(row_of, dtype=np.int64)] if row_of else table[:0]
        self.district = np.array([district_index.get(d, -1) for d in self.districts], np.int64)

    @staticmethod
    def _shared(rows: list[MentorData] | list[ParticipantData]) -> dict[str, list]:
        """What both sides are matched on: languages, district, interests and times."""
        return {
            "ids": [r.id for r in rows],
            "languages": [r.languages for r in rows],
            "districts": [r.district for r in rows],
            "interests": [code_bits(r.interests, INTEREST_BITS) for r in rows],
            "slots": [code_bits(r.slots, SLOT_BITS) for r in rows],
        }

    @classmethod
    def mentors(cls, rows: list[MentorData]) -> Side:
        return cls(
            **cls._shared(rows),
            capacity=np.array([max(r.capacity, 0) for r in rows], np.int64),
            minors_ok=np.array([r.certificate and not r.no_minors for r in rows], bool),
            women_only=np.array([r.women_only for r in rows], bool),
            welcome=np.array([r.families_welcome for r in rows], bool),
            kind=np.array([KIND_NUMBER.get(r.kind, 0) for r in rows], np.int8),
            gender=np.array([GENDER_NUMBER.get(r.gender or "", 0) for r in rows], np.int8),
        )

    @classmethod
    def participants(cls, rows: list[ParticipantData]) -> Side:
        return cls(
            **cls._shared(rows),
            minors=np.array([r.minors for r in rows], bool),
            children=np.array([r.has_children for r in rows], bool),
            female=np.array([r.gender == "female" for r in rows], bool),
            wants_gender=np.array(
                [GENDER_NUMBER.get(r.wants_gender or "", 0) for r in rows], np.int8
            ),
            wants_kinds=np.array([kinds_bits(r.wants_kinds) for r in rows], np.int8),
        )


def kinds_bits(kinds) -> int:
    return sum(1 << KIND_NUMBER[k] for k in set(kinds) if k in KIND_NUMBER)


class Engine:
    """One matching run over given participants and mentors.

    Give it rows (`ParticipantData`, `MentorData`), or sides in columns with `Engine.of_sides`
    (what `engine_data.load` builds from the database without a Python object per row).
    """

    def __init__(self, participants, mentors, *, centroids: dict, weights: dict | None = None):
        self.participants = list(participants)
        self.mentors = list(mentors)
        declined = [(p, m_id) for p, x in enumerate(self.participants) for m_id in x.declined]
        self._setup(
            Side.participants(self.participants),
            Side.mentors(self.mentors),
            declined=declined,
            centroids=centroids,
            weights=weights,
        )

    @classmethod
    def of_sides(
        cls, participants: Side, mentors: Side, *, declined=(), centroids: dict, weights=None
    ) -> Engine:
        """`declined`: (participant position, mentor id) pairs never to propose again."""
        engine = cls.__new__(cls)
        engine.participants = engine.mentors = None
        engine._setup(
            participants, mentors, declined=list(declined), centroids=centroids, weights=weights
        )
        return engine

    def _setup(self, P: Side, M: Side, *, declined, centroids, weights) -> None:
        self.w = weights_with(weights)
        codes = sorted(
            {c for languages in {id(x): x for x in M.languages}.values() for c in languages}
        )
        self.lang_index = {c: i for i, c in enumerate(codes)}
        keys = [k for k, v in centroids.items() if v and None not in v]
        self.district_index = {k: i for i, k in enumerate(keys)}
        if keys:
            lat = np.array([centroids[k][0] for k in keys], dtype=float)
            lon = np.array([centroids[k][1] for k in keys], dtype=float)
            self.km = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        else:
            self.km = np.zeros((0, 0))
        P.index(self.lang_index, self.district_index)
        M.index(self.lang_index, self.district_index)
        self.P, self.M = P, M
        self.declined = declined

    # -- candidates -------------------------------------------------------------------------
    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """Candidate edges (participant position, mentor position), sorted by participant.

        Participants with the same district, languages and minors flag share one candidate
        pool: the mentors with a free place who speak one of those languages (and, for minors,
        have a checked certificate), nearest first and those of unknown district last;
        `max_candidates` of them plus `pool_per_participant` for each member of the group. A
        crowded district then reaches as far as it must, instead of all its members competing
        for the same few nearest mentors. Each member is offered the nearest half of
        `max_candidates` and a different slice of the rest of the pool, so the group together
        covers all of it. Mentors are ordered by distance once per district and filtered with
        one mask per combination of languages: never all pairs.
        """
        k = max(int(self.w["max_candidates"]), 1)
        spread = max(self.w["pool_per_participant"], 0.0)
        w_size = max(int(self.w["score_window"]), k)
        M = self.M
        md = M.district
        n_d = len(self.km)
        mentor_km = np.where(md >= 0, self.km[:, np.maximum(md, 0)], np.inf)
        # Row d: every mentor, nearest to district d first; the last row (participants of
        # unknown district) keeps the mentors' order.
        by_distance = np.vstack(
            [np.argsort(mentor_km, axis=1, kind="stable"), np.arange(len(M))[None, :]]
        )
        speaks = M.levels > 0
        lang_bits = (self.P.levels > 0) @ (1 << np.arange(self.P.levels.shape[1], dtype=np.int64))
        groups: dict[tuple, dict[int, list[int]]] = {}  # (languages, minors) -> district -> people
        for p, (d, bits, minors) in enumerate(zip(self.P.district.tolist(), lang_bits.tolist(),
                                                  self.P.minors.tolist(), strict=True)):  # fmt: skip
            if bits:
                groups.setdefault((bits, minors), {}).setdefault(d if d >= 0 else n_d, []).append(p)
        rows, cols, best_rows, best_cols, quota = [], [], [], [], []
        for (bits, minors), by_district in groups.items():
            mask = (M.capacity > 0) & speaks[
                :, [j for j in range(speaks.shape[1]) if bits >> j & 1]
            ].any(axis=1)
            if minors:
                mask &= M.minors_ok
            count = int(mask.sum())
            if not count:
                continue
            # The districts these people live in, their mentors nearest first: each row is a
            # permutation of all mentors, so every row keeps `count` of them.
            rows_of = by_distance[list(by_district)]
            ordered = rows_of[mask[rows_of]].reshape(len(by_district), count)
            window = min(w_size, count)
            for i, members in enumerate(by_district.values()):
                members_arr = np.array(members, dtype=np.int64)
                # Everyone: the best of the nearest `window` mentors by score (k of them for
                # someone alone in their group and district, half of k in a crowd) ...
                best_rows.append(np.repeat(members_arr, window))
                best_cols.append(np.tile(ordered[i, :window], len(members)))
                quota.append((len(members), k if len(members) == 1 else k - k // 2))
                if len(members) == 1:
                    continue
                # ... and in a crowd, their own slice of the rest of the pool, wrapping, so
                # the members together reach all of it.
                pool = ordered[i, : int(k + spread * len(members))]
                if len(pool) <= k:  # a small pool: all of it, for everyone
                    rows.append(np.repeat(members_arr, len(pool)))
                    cols.append(np.tile(pool, len(members)))
                    continue
                head = k // 2
                rest = len(pool) - head
                if rest <= 0:
                    continue
                take = min(k - head, rest)
                starts = np.arange(len(members)) * take % rest
                at = head + (starts[:, None] + np.arange(take)) % rest
                rows.append(np.repeat(members_arr, take))
                cols.append(pool[at].ravel())
        if best_rows:
            rows.append(np.concatenate(best_rows))
            cols.append(np.concatenate(best_cols))
            counts, quotas = zip(*quota, strict=True)
            rows[-1], cols[-1] = self._best(rows[-1], cols[-1], np.repeat(quotas, counts))
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        # A mentor may be both among someone's best and in their slice: keep each pair once,
        # ordered by pair.
        keys = np.sort(np.concatenate(rows) * len(M) + np.concatenate(cols))
        keys = keys[np.concatenate((keys[:1] == keys[:1], keys[1:] != keys[:-1]))]
        return keys // len(M), keys % len(M)

    def _best(self, pi: np.ndarray, mi: np.ndarray, quota: np.ndarray):
        """Per participant, the `quota` feasible pairs of (pi, mi) that score best (`quota`:
        one number per participant, in the order of their first appearance in `pi`)."""
        strength = self.language_strength(pi, mi)
        ok = self.feasible(pi, mi, strength)
        first = np.concatenate(([True], pi[1:] != pi[:-1])) if len(pi) else np.zeros(0, bool)
        allowed = np.zeros(len(self.P), np.int64)
        allowed[pi[first]] = quota
        pi, mi = pi[ok], mi[ok]
        score = self.total(self.score_parts(pi, mi, strength[ok]))
        # Each participant's pairs are together already: order them best first within.
        block = np.cumsum(np.concatenate(([True], pi[1:] != pi[:-1]))) if len(pi) else pi
        order = np.argsort(block - score / 2.0, kind="stable")
        pi, mi = pi[order], mi[order]
        starts = np.concatenate(([True], pi[1:] != pi[:-1])) if len(pi) else np.zeros(0, bool)
        begin = np.maximum.accumulate(np.where(starts, np.arange(len(pi)), 0))
        keep = np.arange(len(pi)) - begin < allowed[pi]
        return pi[keep], mi[keep]

    # -- constraints and scores -------------------------------------------------------------
    def language_strength(self, pi: np.ndarray, mi: np.ndarray) -> np.ndarray:
        """Per pair: how well both speak their best shared language (0: none shared)."""
        return np.minimum(self.P.levels[pi], self.M.levels[mi]).max(axis=1, initial=0)

    def feasible(self, pi: np.ndarray, mi: np.ndarray, strength=None) -> np.ndarray:
        P, M = self.P, self.M
        strength = self.language_strength(pi, mi) if strength is None else strength
        ok = strength > 0
        ok &= M.capacity[mi] > 0
        ok &= ~P.minors[pi] | M.minors_ok[mi]
        ok &= ~M.women_only[mi] | P.female[pi]
        ok &= (P.wants_gender[pi] == 0) | (P.wants_gender[pi] == M.gender[mi])
        ok &= (P.wants_kinds[pi] == 0) | ((P.wants_kinds[pi] >> M.kind[mi]) & 1).astype(bool)
        if self.declined:
            position = {int(m_id): m for m, m_id in enumerate(self.M.ids)}
            n_m = max(len(self.M), 1)
            banned = np.array(
                [p * n_m + position[m_id] for p, m_id in self.declined if m_id in position],
                dtype=np.int64,
            )
            ok &= ~np.isin(pi * n_m + mi, banned)
        return ok

    def distance_km(self, pi, mi) -> np.ndarray:
        pd, md = self.P.district[pi], self.M.district[mi]
        known = (pd >= 0) & (md >= 0)
        km = np.full(len(pi), np.nan)
        if known.any():
            km[known] = self.km[pd[known], md[known]]
        return km

    def score_parts(self, pi, mi, strength=None) -> dict[str, np.ndarray]:
        P, M, w = self.P, self.M, self.w
        strength = self.language_strength(pi, mi) if strength is None else strength
        language = strength / 4.0
        km = self.distance_km(pi, mi)
        distance = np.where(np.isnan(km), 0.0, np.clip(1 - km / max(w["max_km"], 0.1), 0, 1))
        interests = np.minimum(np.bitwise_count(P.interests[pi] & M.interests[mi]) / 2.0, 1.0)
        availability = np.minimum(np.bitwise_count(P.slots[pi] & M.slots[mi]) / 2.0, 1.0)
        family = M.kind[mi] == KIND_NUMBER[MentorKind.FAMILY]
        individual = M.kind[mi] == KIND_NUMBER[MentorKind.INDIVIDUAL]
        household = np.where(
            P.children[pi],
            np.where(M.welcome[mi], np.where(family, 1.0, 0.6), 0.0),
            np.where(individual, 1.0, np.where(family, 0.6, 0.8)),
        )
        return {
            "language": language,
            "distance": distance,
            "interests": interests,
            "availability": availability,
            "household": household,
            "km": km,
        }

    def total(self, parts: dict[str, np.ndarray]) -> np.ndarray:
        total_weight = sum(self.w[k] for k in SCORE_PARTS) or 1.0
        score = sum(self.w[k] * parts[k] for k in SCORE_PARTS) / total_weight
        # Every feasible pair scores above zero, so matching someone always beats leaving
        # them out, whatever the weights.
        return np.maximum(score, 1e-6)

    # -- solving ----------------------------------------------------------------------------
    def build_graph(self, pi, mi, score) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
        """Rows: participants with a candidate; columns: mentor places, then one "unmatched"
        node per row. Built straight into CSR arrays, each row's columns in order."""
        if len(pi) > 1 and not _sorted_pairs(pi, mi, len(self.M)):
            order = np.lexsort((mi, pi))
            pi, mi, score = pi[order], mi[order], score[order]
        starts = np.concatenate(([True], pi[1:] != pi[:-1])) if len(pi) else np.zeros(0, bool)
        rows_used, row_of = pi[starts], np.cumsum(starts) - 1
        n_rows = len(rows_used)
        degree = np.bincount(mi, minlength=len(self.M))
        places = np.minimum(self.M.capacity, degree)
        first_place = np.concatenate([[0], np.cumsum(places)[:-1]]).astype(np.int64)
        n_places = int(places.sum())
        reps = places[mi]
        edge = np.repeat(np.arange(len(pi)), reps)  # one entry per place of each edge's mentor
        offset = np.arange(len(edge)) - np.repeat(np.cumsum(reps) - reps, reps)
        per_row = np.bincount(row_of, weights=reps, minlength=n_rows).astype(np.int64) + 1
        indptr = np.concatenate([[0], np.cumsum(per_row)])
        data = np.empty(indptr[-1], dtype=float)
        indices = np.empty(indptr[-1], dtype=np.int64)
        # Rows before this one each hold one unmatched node, so an entry moves that far on.
        at = np.arange(len(edge)) + row_of[edge]
        data[at] = 2.0 - score[edge]
        indices[at] = first_place[mi[edge]] + offset
        data[indptr[1:] - 1] = 2.0
        indices[indptr[1:] - 1] = n_places + np.arange(n_rows)
        graph = csr_matrix((data, indices, indptr), shape=(n_rows, n_places + n_rows))
        graph.has_sorted_indices = True
        place_owner = np.repeat(np.arange(len(self.M)), places)
        return graph, rows_used, place_owner

    @staticmethod
    def solve_graph(graph: csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        return min_weight_full_bipartite_matching(graph)

    def run(self, *, explain_now: bool = True) -> MatchingResult:
        pi, mi = self.candidates()
        strength = self.language_strength(pi, mi)
        ok = self.feasible(pi, mi, strength)
        pi, mi, strength = pi[ok], mi[ok], strength[ok]
        parts = self.score_parts(pi, mi, strength)
        score = self.total(parts)
        proposals: list[Proposal] = []
        matched: set[int] = set()
        phrases = _phrases()
        graph = None
        if len(pi):
            graph, rows_used, place_owner = self.build_graph(pi, mi, score)
            row_ind, col_ind = self.solve_graph(graph)
            n_places = len(place_owner)
            real = col_ind < n_places
            chosen_p = rows_used[row_ind[real]]
            chosen_m = place_owner[col_ind[real]]
            # Find each chosen pair's edge to read its parts.
            n_m = len(self.M)
            keys = pi * n_m + mi
            order = None if _sorted_pairs(pi, mi, n_m) else np.argsort(keys)
            at = np.searchsorted(keys, chosen_p * n_m + chosen_m, sorter=order)
            if order is not None:
                at = order[at]
            described = self.describe_many(chosen_p, chosen_m, parts["km"][at])
            chosen_score = np.round(score[at], 4).tolist()
            p_ids, m_ids = self.P.ids[chosen_p].tolist(), self.M.ids[chosen_m].tolist()
            proposals = [
                Proposal(participant_id=p_id, mentor_id=m_id, score=value, parts=parts_)
                for p_id, m_id, value, parts_ in zip(
                    p_ids, m_ids, chosen_score, described, strict=True
                )
            ]
            matched.update(chosen_p.tolist())
        if explain_now:
            for proposal in proposals:
                proposal.text = explain(proposal.parts, phrases)
        feasible_count = np.bincount(pi, minlength=len(self.P)).tolist()
        p_ids = self.P.ids.tolist()
        memo: dict = {}
        unmatched = []
        for p in range(len(self.P)):
            if p not in matched:
                why = self.why_unmatched_parts(p, feasible_count[p], memo)
                text = unmatched_text(why, phrases) if explain_now else ""
                unmatched.append(Unmatched(p_ids[p], text, why))
        proposals.sort(key=lambda x: -x.score)
        return MatchingResult(
            proposals=proposals,
            unmatched=unmatched,
            total_score=round(sum(x.score for x in proposals), 6),
            graph=graph,
            edges={"pi": pi, "mi": mi, "score": score},
        )

    def ranked_for(self, p: int, limit: int) -> list[Proposal]:
        """The mentors who may take participant `p` (a position), best first, explained: for
        choosing a mentor by hand. Every approved mentor with a place is scored, not only the
        candidate graph's."""
        mi = np.arange(len(self.M))
        pi = np.full(len(mi), p, dtype=np.int64)
        strength = self.language_strength(pi, mi)
        ok = self.feasible(pi, mi, strength)
        pi, mi, strength = pi[ok], mi[ok], strength[ok]
        parts = self.score_parts(pi, mi, strength)
        score = self.total(parts)
        top = np.argsort(-score, kind="stable")[:limit]
        described = self.describe_many(pi[top], mi[top], parts["km"][top])
        phrases = _phrases()
        return [
            Proposal(
                participant_id=int(self.P.ids[p]),
                mentor_id=int(self.M.ids[m]),
                score=round(float(score[e]), 4),
                parts=d,
                text=explain(d, phrases),
            )
            for e, m, d in zip(top.tolist(), mi[top].tolist(), described, strict=True)
        ]

    # -- explanations -----------------------------------------------------------------------
    def describe(self, p: int, m: int, km: float) -> dict:
        """The structured reasons for one pair, rendered later in the reader's language."""
        return self.describe_many(np.array([p]), np.array([m]), np.array([km]))[0]

    def describe_many(self, ps: np.ndarray, ms: np.ndarray, km: np.ndarray) -> list[dict]:
        """`describe` for many pairs at once: shared languages strongest first (then the
        participant's stronger, then by code), shared interests and free times, the distance
        or "same district", and household fit."""
        P, M = self.P, self.M
        p_level, m_level = P.levels[ps], M.levels[ms]
        both = np.minimum(p_level, m_level)
        # Rank shared languages: -1 for not shared; ties keep the code order (stable sort).
        rank = np.where(both > 0, both.astype(np.int16) * 8 + p_level, -1)
        order = np.argsort(-rank, axis=1, kind="stable")
        n_shared = (both > 0).sum(axis=1)
        codes = list(self.lang_index)
        interests = (P.interests[ps] & M.interests[ms]).tolist()
        slots = (P.slots[ps] & M.slots[ms]).tolist()
        km_text = np.round(km, 1).tolist()
        children = (P.children[ps] & M.welcome[ms]).tolist()
        family = (M.kind[ms] == KIND_NUMBER[MentorKind.FAMILY]).tolist()
        order, n_shared = order.tolist(), n_shared.tolist()
        described = []
        for i, (p, m) in enumerate(zip(ps.tolist(), ms.tolist(), strict=True)):
            parts = {
                "languages": [codes[j] for j in order[i][: n_shared[i]]],
                "interests": _codes(interests[i], INTEREST_CODES),
                "slots": _codes(slots[i], SLOT_CODES),
            }
            district = P.districts[p]
            if district is not None and district == M.districts[m]:
                parts["same_district"] = True
            elif not math.isnan(km_text[i]):
                parts["km"] = km_text[i]
            if children[i]:
                parts["household"] = "family" if family[i] else "welcome"
            described.append(parts)
        return described

    def _language_flags(self) -> tuple[np.ndarray, np.ndarray]:
        """Per language: has an approved mentor with a free place; and one who may meet minors."""
        if not hasattr(self, "_flags"):
            speaks = self.M.levels > 0
            free = (self.M.capacity > 0)[:, None]
            self._flags = (
                (speaks & free).any(axis=0),
                (speaks & free & self.M.minors_ok[:, None]).any(axis=0),
            )
        return self._flags

    def why_unmatched(
        self, p: int, feasible: int, ph: dict | None = None, memo: dict | None = None
    ) -> str:
        """Why participant `p` (a position) got no proposal, in the current language."""
        return unmatched_text(self.why_unmatched_parts(p, feasible, memo), ph)

    def why_unmatched_parts(self, p: int, feasible: int, memo: dict | None = None) -> dict:
        """The reason as codes (`unmatched_text` renders it in the reader's language):
        {"why": kind, "languages": [codes], "count": suitable mentors proposed to others}."""
        languages, minors = self.P.languages[p], bool(self.P.minors[p])
        key = (id(languages), minors, feasible)
        if memo is not None and key in memo:  # the reason depends only on these, within one run
            return memo[key]
        codes = list(languages)
        langs = [self.lang_index[c] for c in codes if c in self.lang_index]
        parts: dict
        if not codes:
            parts = {"why": "none"}
        elif not langs:
            parts = {"why": "speaker", "languages": codes}
        else:
            free, minors_ok = self._language_flags()
            if not free[langs].any():
                parts = {"why": "full", "languages": codes}
            elif minors and not minors_ok[langs].any():
                parts = {"why": "minors", "languages": codes}
            elif feasible == 0:
                parts = {"why": "wishes", "languages": codes}
            else:
                parts = {"why": "taken", "languages": codes, "count": int(feasible)}
        if memo is not None:
            memo[key] = parts
        return parts


def unmatched_text(parts: dict, ph: dict | None = None) -> str:
    """`Engine.why_unmatched_parts` in the current language."""
    ph = ph or _phrases()
    if "why" not in ph:
        ph["why"] = {
            "none": _("No languages are recorded for this person."),
            "speaker": _("No approved mentor speaks %(languages)s."),
            "full": _("Every approved mentor who speaks %(languages)s is at full capacity."),
            "minors": _(
                "Minors take part, and no mentor with a checked criminal-record certificate "
                "and a free place speaks %(languages)s."
            ),
            "wishes": _(
                "No mentor with a free place who speaks %(languages)s fits the wishes of "
                "both sides (gender, kind of mentor, women only)."
            ),
        }
    why = parts.get("why")
    if why == "taken":
        count = int(parts.get("count") or 0)
        taken = ph.setdefault("taken", {})
        if count not in taken:
            taken[count] = ngettext(
                "%(count)d suitable mentor was proposed to someone else; try again when places "
                "free up.",
                "All %(count)d suitable mentors were proposed to others; try again when places "
                "free up.",
                count,
            ) % {"count": count}
        return str(taken[count])
    if why not in ph["why"]:
        return ""
    if why == "none":
        return str(ph["why"]["none"])
    names = language_names(parts.get("languages") or [], ph)
    return str(ph["why"][why] % {"languages": names})


_CODES: dict[tuple[int, int], list[str]] = {}


def _codes(mask: int, codes: list[str]) -> list[str]:
    """The codes whose bits are set in `mask` (memoised: a run asks for few distinct masks)."""
    key = (mask, id(codes))
    found = _CODES.get(key)
    if found is None:
        found = _CODES[key] = [c for i, c in enumerate(codes) if mask >> i & 1]
    return list(found)


def language_names(codes, ph: dict | None = None) -> str:
    ph = ph or _phrases()
    return _join([_language(c, ph) for c in codes], "or", ph)


# Translated phrases and labels, cached per language: explanations are built for thousands of
# proposals at once and gettext per piece would dominate the run.
_PHRASES: dict[str, dict] = {}


def _phrases() -> dict:
    language = translation.get_language() or ""
    cached = _PHRASES.get(language)
    if cached is None:
        cached = {
            "speaks": _("speaks %(languages)s"),
            "same_district": _("same district"),
            "km": _("%(km)s km apart"),
            "like": _("both like %(interests)s"),
            "free": _("free %(times)s"),
            "family": _("a family that welcomes children"),
            "welcome": _("welcomes families with children"),
            "locale": language,
            # Translators: between the reasons of a proposal ("speaks Ukrainian; same
            # district"); your language's semicolon and spacing (French " ; ", Arabic "؛ ").
            "reasons_sep": pgettext("between reasons", "; "),
            "interests": {code: str(label) for code, label in Interest.choices},
            "slots": {code: str(label) for code, label in Slot.choices},
            "languages": {},
            "decimal": str(formats.get_format("DECIMAL_SEPARATOR")),
            "pieces": {},
        }
        _PHRASES[language] = cached
    return cached


def _join(items: list[str], style: Literal["standard", "or"], phrases: dict) -> str:
    """A list in the reader's language by CLDR's patterns (`mosty.core.formats.join_list`)."""
    return join_list(items, style=style, language=phrases["locale"] or None)


def _language(code: str, phrases: dict) -> str:
    name = phrases["languages"].get(code)
    if name is None:
        name = phrases["languages"][code] = language_name(code)
    return name


def explain(parts: dict, ph: dict | None = None) -> str:
    """'speaks Ukrainian and Russian; 1.2 km apart; both like football; free Tuesday evenings'"""
    ph = ph or _phrases()
    pieces = []
    if parts.get("languages"):
        pieces.append(_piece(ph, "speaks", parts["languages"]))
    if parts.get("same_district"):
        pieces.append(ph["same_district"])
    elif parts.get("km") is not None:
        km = f"{parts['km']:.1f}".replace(".", ph["decimal"])
        pieces.append(ph["km"] % {"km": km})
    if parts.get("interests"):
        pieces.append(_piece(ph, "like", parts["interests"]))
    if parts.get("slots"):
        pieces.append(_piece(ph, "free", parts["slots"]))
    if parts.get("household") in ("family", "welcome"):
        pieces.append(ph[parts["household"]])
    return ph["reasons_sep"].join(pieces)


def _piece(ph: dict, kind: str, codes: list[str]) -> str:
    """One translated piece of an explanation, memoised per language: a run repeats few."""
    key = (kind, *codes)
    piece = ph["pieces"].get(key)
    if piece is None:
        if kind == "speaks":
            names = [_language(c, ph) for c in codes]
            piece = ph["speaks"] % {"languages": _join(names, "standard", ph)}
        else:
            table, name = ("interests", "interests") if kind == "like" else ("slots", "times")
            labels = [ph[table][c] for c in codes if c in ph[table]]
            piece = ph[kind] % {name: _join(labels, "standard", ph)}
        ph["pieces"][key] = piece
    return piece


def greedy_total(edges: dict, capacity: np.ndarray) -> float:
    """Baseline: take the best remaining edge while both sides are free."""
    pi, mi, score = edges["pi"], edges["mi"], edges["score"]
    left = capacity.copy()
    taken: set[int] = set()
    total = 0.0
    for e in np.argsort(-score, kind="stable"):
        p, m = int(pi[e]), int(mi[e])
        if p in taken or left[m] <= 0:
            continue
        taken.add(p)
        left[m] -= 1
        total += float(score[e])
    return total


def pair_check(participant: ParticipantData, mentor: MentorData, *, centroids, weights=None):
    """Hard-constraint errors and the score for one pair (matching by hand, swaps)."""
    engine = Engine([participant], [mentor], centroids=centroids, weights=weights)
    pi, mi = np.zeros(1, np.int64), np.zeros(1, np.int64)
    errors = []
    if not (np.minimum(engine.P.levels[pi], engine.M.levels[mi]) > 0).any():
        errors.append(_("They have no language in common."))
    if mentor.capacity <= 0:
        errors.append(_("The mentor has no free place."))
    if participant.minors and not (mentor.certificate and not mentor.no_minors):
        errors.append(
            _("Minors take part: the mentor needs a checked criminal-record certificate.")
        )
    if mentor.women_only and participant.gender != "female":
        errors.append(_("The mentor supports women only."))
    if participant.wants_gender and participant.wants_gender != mentor.gender:
        errors.append(_("The participant wishes a mentor of another gender."))
    if participant.wants_kinds and mentor.kind not in participant.wants_kinds:
        errors.append(_("The participant wishes another kind of mentor."))
    parts = engine.score_parts(pi, mi)
    score = float(engine.total(parts)[0])
    return errors, round(score, 4), engine.describe(0, 0, float(parts["km"][0]))
