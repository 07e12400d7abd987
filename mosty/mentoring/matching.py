"""The matching engine: a global assignment of participants to mentors that maximises the total
match quality under hard constraints, with a plain-language reason for every proposal and for
every participant left without one.

How it works
1. **Candidates** come from an inverted index (language -> district -> mentors with free places),
   walked outwards from the participant's district by centroid distance until `max_candidates`
   mentors are found. Participants with minors taking part only see the index of mentors with a
   checked criminal-record certificate. No all-pairs loop.
2. **Hard constraints** (a shared language, free capacity, minors only with a certificate-checked
   mentor who accepts minors, the participant's wishes about the mentor's gender and kind, the
   mentor's "women only", pairs declined before) drop candidate edges, vectorised with numpy.
3. **Soft scores** (shared language strength, district distance by haversine between the city
   pack's centroids, shared interests, overlapping weekly slots, household fit) are combined with
   the weights in `DEFAULT_WEIGHTS`, overridable by the city pack's `matching` section.
4. **Solving**: a sparse bipartite graph, participants x (mentor places + one "unmatched" node per
   participant), solved exactly by `scipy.sparse.csgraph.min_weight_full_bipartite_matching`
   (LAPJVsp). A mentor with capacity c has c place nodes; an edge costs 2 - score and the
   participant's own unmatched node costs 2, so the minimum-cost full matching is the assignment
   with the greatest total score (every real match, scoring > 0, beats leaving someone out).
   The result is optimal over the candidate graph; with `max_candidates` at least the number of
   mentors it is the global optimum (tests compare it with brute force).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

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
}
SCORE_PARTS = ("language", "distance", "interests", "availability", "household")

KINDS = list(MentorKind.values)
GENDERS = ["", "female", "male", "other", "undisclosed"]
INTEREST_CODES = list(Interest.values)
SLOT_CODES = list(Slot.values)
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


def _bits(values, table) -> int:
    total = 0
    for v in values:
        total |= table.get(v, 0)
    return total


class _Arrays:
    """Columnar form of one side (participants or mentors) for vectorised scoring."""

    def __init__(self, rows, lang_index: dict[str, int], district_index: dict, *, mentors: bool):
        n, n_lang = len(rows), len(lang_index)
        self.levels = np.zeros((n, max(n_lang, 1)), dtype=np.int8)
        self.district = np.full(n, -1, dtype=np.int64)
        self.interests = np.zeros(n, dtype=np.uint32)
        self.slots = np.zeros(n, dtype=np.uint32)
        self.ids = np.fromiter((r.id for r in rows), dtype=np.int64, count=n)
        for i, row in enumerate(rows):
            for code, level in row.languages.items():
                j = lang_index.get(code)
                if j is not None:
                    self.levels[i, j] = LEVEL_STRENGTH.get(level, 1)
            self.district[i] = district_index.get(row.district, -1)
            self.interests[i] = _bits(row.interests, INTEREST_BITS)
            self.slots[i] = _bits(row.slots, SLOT_BITS)
        if mentors:
            self.capacity = np.fromiter((max(r.capacity, 0) for r in rows), np.int64, n)
            self.minors_ok = np.fromiter((r.certificate and not r.no_minors for r in rows), bool, n)
            self.women_only = np.fromiter((r.women_only for r in rows), bool, n)
            self.welcome = np.fromiter((r.families_welcome for r in rows), bool, n)
            self.kind = np.fromiter((KINDS.index(r.kind) for r in rows), np.int8, n)
            self.gender = np.fromiter((GENDERS.index(r.gender or "") for r in rows), np.int8, n)
        else:
            self.minors = np.fromiter((r.minors for r in rows), bool, n)
            self.children = np.fromiter((r.has_children for r in rows), bool, n)
            self.female = np.fromiter((r.gender == "female" for r in rows), bool, n)
            self.wants_gender = np.fromiter(
                (GENDERS.index(r.wants_gender or "") for r in rows), np.int8, n
            )
            self.wants_kinds = np.fromiter(
                (sum(1 << KINDS.index(k) for k in set(r.wants_kinds)) for r in rows), np.int8, n
            )


class Engine:
    """One matching run over given participants and mentors."""

    def __init__(self, participants, mentors, *, centroids: dict, weights: dict | None = None):
        self.participants = list(participants)
        self.mentors = list(mentors)
        self.w = weights_with(weights)
        codes = sorted({c for m in self.mentors for c in m.languages})
        self.lang_index = {c: i for i, c in enumerate(codes)}
        keys = [k for k, v in centroids.items() if v and None not in v]
        self.district_index = {k: i for i, k in enumerate(keys)}
        if keys:
            lat = np.array([centroids[k][0] for k in keys], dtype=float)
            lon = np.array([centroids[k][1] for k in keys], dtype=float)
            self.km = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        else:
            self.km = np.zeros((0, 0))
        self.P = _Arrays(self.participants, self.lang_index, self.district_index, mentors=False)
        self.M = _Arrays(self.mentors, self.lang_index, self.district_index, mentors=True)

    # -- candidates -------------------------------------------------------------------------
    def _index(self, only_minors_ok: bool) -> dict[int, dict[int, np.ndarray]]:
        """language -> district (-1 unknown) -> mentor positions with free places."""
        free = self.M.capacity > 0
        if only_minors_ok:
            free &= self.M.minors_ok
        index: dict[int, dict[int, np.ndarray]] = {}
        for j in range(len(self.lang_index)):
            speaks = np.flatnonzero(free & (self.M.levels[:, j] > 0))
            if not len(speaks):
                continue
            districts = self.M.district[speaks]
            order = np.argsort(districts, kind="stable")
            speaks, districts = speaks[order], districts[order]
            cuts = np.flatnonzero(np.diff(districts)) + 1
            index[j] = {
                int(group_d[0]): group
                for group, group_d in zip(
                    np.split(speaks, cuts), np.split(districts, cuts), strict=True
                )
            }
        return index

    def _district_order(self) -> list[list[int]]:
        """For each district, all districts nearest first, then 'unknown' (-1)."""
        order = np.argsort(self.km, axis=1, kind="stable") if len(self.km) else []
        return [[*map(int, row), -1] for row in order]

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """Candidate edges (participant position, mentor position).

        Participants with the same district, languages and minors flag walk the index the same
        way, so the walk is done once per such group. Whole buckets are taken nearest first;
        when the last bucket needed is larger than the room left, each participant takes a
        different rotation of it, so the load spreads over its mentors.
        """
        k = int(self.w["max_candidates"])
        indexes = {False: self._index(False), True: self._index(True)}
        nearest = self._district_order()
        everywhere = [*range(len(self.district_index)), -1]
        lang_bits = (self.P.levels > 0) @ (1 << np.arange(self.P.levels.shape[1], dtype=np.int64))
        groups: dict[tuple, list[int]] = {}
        for p, key in enumerate(zip(self.P.district.tolist(), lang_bits.tolist(),
                                    self.P.minors.tolist(), strict=True)):  # fmt: skip
            if key[1]:
                groups.setdefault(key, []).append(p)
        rows, cols = [], []
        for (d, bits, minors), members in groups.items():
            index = indexes[minors]
            langs = [j for j in range(self.P.levels.shape[1]) if bits >> j & 1]
            walk = nearest[d] if d >= 0 else everywhere
            prefix, last, count = [], None, 0
            for district in walk:
                for j in langs:
                    bucket = index.get(j, {}).get(district)
                    if bucket is None:
                        continue
                    if count + len(bucket) <= k:
                        prefix.append(bucket)
                        count += len(bucket)
                    else:
                        last = bucket
                        break
                if last is not None or count >= k:
                    break
            members_arr = np.array(members, dtype=np.int64)
            if prefix:
                head = np.concatenate(prefix) if len(prefix) > 1 else prefix[0]
                rows.append(np.repeat(members_arr, len(head)))
                cols.append(np.tile(head, len(members)))
            if last is not None and count < k:
                need = k - count
                starts = (members_arr * 7919) % len(last)
                picks = last[(starts[:, None] + np.arange(need)) % len(last)]
                rows.append(np.repeat(members_arr, need))
                cols.append(picks.ravel())
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        # A mentor may be found twice (two shared languages): one edge per pair, in one pass.
        n_m = max(len(self.mentors), 1)
        keys = np.sort(np.concatenate(rows) * n_m + np.concatenate(cols))
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
        return keys // n_m, keys % n_m

    # -- constraints and scores -------------------------------------------------------------
    def feasible(self, pi: np.ndarray, mi: np.ndarray) -> np.ndarray:
        P, M = self.P, self.M
        ok = (np.minimum(P.levels[pi], M.levels[mi]) > 0).any(axis=1)
        ok &= M.capacity[mi] > 0
        ok &= ~P.minors[pi] | M.minors_ok[mi]
        ok &= ~M.women_only[mi] | P.female[pi]
        ok &= (P.wants_gender[pi] == 0) | (P.wants_gender[pi] == M.gender[mi])
        ok &= (P.wants_kinds[pi] == 0) | ((P.wants_kinds[pi] >> M.kind[mi]) & 1).astype(bool)
        declined = [(p, m_id) for p, x in enumerate(self.participants) for m_id in x.declined]
        if declined:
            position = {int(m_id): m for m, m_id in enumerate(self.M.ids)}
            n_m = max(len(self.mentors), 1)
            banned = np.array(
                [p * n_m + position[m_id] for p, m_id in declined if m_id in position],
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

    def score_parts(self, pi, mi) -> dict[str, np.ndarray]:
        P, M, w = self.P, self.M, self.w
        language = np.minimum(P.levels[pi], M.levels[mi]).max(axis=1) / 4.0
        km = self.distance_km(pi, mi)
        distance = np.where(np.isnan(km), 0.0, np.clip(1 - km / max(w["max_km"], 0.1), 0, 1))
        interests = np.minimum(np.bitwise_count(P.interests[pi] & M.interests[mi]) / 2.0, 1.0)
        availability = np.minimum(np.bitwise_count(P.slots[pi] & M.slots[mi]) / 2.0, 1.0)
        family = M.kind[mi] == KINDS.index(MentorKind.FAMILY)
        individual = M.kind[mi] == KINDS.index(MentorKind.INDIVIDUAL)
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
        """Rows: participants with a candidate; columns: mentor places, then unmatched nodes."""
        if len(pi) and bool((pi[1:] >= pi[:-1]).all()):
            # Candidates come out sorted by participant: rows in one pass, no hashing.
            starts = np.concatenate(([True], pi[1:] != pi[:-1]))
            rows_used, row_of = pi[starts], np.cumsum(starts) - 1
        else:
            rows_used, row_of = np.unique(pi, return_inverse=True)
        n_rows = len(rows_used)
        degree = np.bincount(mi, minlength=len(self.mentors))
        places = np.minimum(self.M.capacity, degree)
        first_place = np.concatenate([[0], np.cumsum(places)[:-1]]).astype(np.int64)
        n_places = int(places.sum())
        reps = places[mi]
        edge = np.repeat(np.arange(len(pi)), reps)
        offset = np.arange(len(edge)) - np.repeat(np.cumsum(reps) - reps, reps)
        r = np.concatenate([row_of[edge], np.arange(n_rows)])
        c = np.concatenate([first_place[mi[edge]] + offset, n_places + np.arange(n_rows)])
        cost = np.concatenate([2.0 - score[edge], np.full(n_rows, 2.0)])
        graph = csr_matrix((cost, (r, c)), shape=(n_rows, n_places + n_rows))
        place_owner = np.repeat(np.arange(len(self.mentors)), places)
        return graph, rows_used, place_owner

    @staticmethod
    def solve_graph(graph: csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        return min_weight_full_bipartite_matching(graph)

    def run(self, *, explain_now: bool = True) -> MatchingResult:
        pi, mi = self.candidates()
        ok = self.feasible(pi, mi) if len(pi) else np.zeros(0, bool)
        pi, mi = pi[ok], mi[ok]
        parts = self.score_parts(pi, mi)
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
            n_m = len(self.mentors)
            keys = pi * n_m + mi
            order = np.argsort(keys)
            at = order[np.searchsorted(keys, chosen_p * n_m + chosen_m, sorter=order)]
            for p, m, e in zip(chosen_p, chosen_m, at, strict=True):
                proposals.append(
                    Proposal(
                        participant_id=self.participants[p].id,
                        mentor_id=self.mentors[m].id,
                        score=round(float(score[e]), 4),
                        parts=self.describe(int(p), int(m), float(parts["km"][e])),
                    )
                )
                matched.add(int(p))
        if explain_now:
            for proposal in proposals:
                proposal.text = explain(proposal.parts, phrases)
        feasible_count = np.bincount(pi, minlength=len(self.participants))
        unmatched = [
            Unmatched(
                self.participants[p].id, self.why_unmatched(p, int(feasible_count[p]), phrases)
            )
            for p in range(len(self.participants))
            if p not in matched
        ]
        proposals.sort(key=lambda x: -x.score)
        return MatchingResult(
            proposals=proposals,
            unmatched=unmatched,
            total_score=round(sum(x.score for x in proposals), 6),
            graph=graph,
            edges={"pi": pi, "mi": mi, "score": score},
        )

    # -- explanations -----------------------------------------------------------------------
    def describe(self, p: int, m: int, km: float) -> dict:
        """The structured reasons for one pair, rendered later in the reader's language."""
        participant, mentor = self.participants[p], self.mentors[m]
        shared = sorted(
            set(participant.languages) & set(mentor.languages),
            key=lambda c: (
                -min(
                    LEVEL_STRENGTH.get(participant.languages[c], 1),
                    LEVEL_STRENGTH.get(mentor.languages[c], 1),
                ),
                -LEVEL_STRENGTH.get(participant.languages[c], 1),
                c,
            ),
        )
        interests = int(self.P.interests[p] & self.M.interests[m])
        slots = int(self.P.slots[p] & self.M.slots[m])
        parts = {
            "languages": shared,
            "interests": [c for i, c in enumerate(INTEREST_CODES) if interests >> i & 1],
            "slots": [c for i, c in enumerate(SLOT_CODES) if slots >> i & 1],
        }
        if participant.district is not None and participant.district == mentor.district:
            parts["same_district"] = True
        elif not math.isnan(km):
            parts["km"] = round(km, 1)
        if participant.has_children and mentor.families_welcome:
            parts["household"] = "family" if mentor.kind == MentorKind.FAMILY else "welcome"
        return parts

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

    def why_unmatched(self, p: int, feasible: int, ph: dict | None = None) -> str:
        participant = self.participants[p]
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
        why = ph["why"]
        if not participant.languages:
            return why["none"]
        names = {"languages": language_names(participant.languages, ph)}
        langs = [self.lang_index[c] for c in participant.languages if c in self.lang_index]
        if not langs:
            return why["speaker"] % names
        free, minors_ok = self._language_flags()
        if not free[langs].any():
            return why["full"] % names
        if participant.minors and not minors_ok[langs].any():
            return why["minors"] % names
        if feasible == 0:
            return why["wishes"] % names
        taken = ph.setdefault("taken", {})
        if feasible not in taken:
            taken[feasible] = ngettext(
                "%(count)d suitable mentor was proposed to someone else; try again when places "
                "free up.",
                "All %(count)d suitable mentors were proposed to others; try again when places "
                "free up.",
                feasible,
            ) % {"count": feasible}
        return taken[feasible]


def language_names(codes, ph: dict | None = None) -> str:
    ph = ph or _phrases()
    return _join([_language(c, ph) for c in codes], ph["or"], ph)


# Languages Django does not describe, named for explanations.
EXTRA_LANGUAGE_NAMES = {}


def _extra_language_names():
    from django.utils.translation import gettext_lazy

    return {
        "ti": gettext_lazy("Tigrinya"),
        "so": gettext_lazy("Somali"),
        "ps": gettext_lazy("Pashto"),
        "prs": gettext_lazy("Dari"),
        "ln": gettext_lazy("Lingala"),
    }


EXTRA_LANGUAGE_NAMES.update(_extra_language_names())


def language_name(code: str) -> str:
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return str(EXTRA_LANGUAGE_NAMES.get(code, code))


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
            "and": _("and"),
            "or": _("or"),
            # Translators: the separator between items of a list, as in "a, b and c".
            "sep": _(", "),
            "interests": {code: str(label) for code, label in Interest.choices},
            "slots": {code: str(label) for code, label in Slot.choices},
            "languages": {},
        }
        _PHRASES[language] = cached
    return cached


def _join(items: list[str], word: str, phrases: dict) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{phrases['sep'].join(items[:-1])} {word} {items[-1]}"


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
        names = [_language(c, ph) for c in parts["languages"]]
        pieces.append(ph["speaks"] % {"languages": _join(names, ph["and"], ph)})
    if parts.get("same_district"):
        pieces.append(ph["same_district"])
    elif parts.get("km") is not None:
        pieces.append(ph["km"] % {"km": formats.number_format(parts["km"], 1)})
    if parts.get("interests"):
        labels = [ph["interests"][i] for i in parts["interests"] if i in ph["interests"]]
        pieces.append(ph["like"] % {"interests": _join(labels, ph["and"], ph)})
    if parts.get("slots"):
        labels = [ph["slots"][x] for x in parts["slots"] if x in ph["slots"]]
        pieces.append(ph["free"] % {"times": _join(labels, ph["and"], ph)})
    if parts.get("household") in ("family", "welcome"):
        pieces.append(ph[parts["household"]])
    return "; ".join(pieces)


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
