"""The city pack's `matching:` section sets the engine's weights."""

import pytest

from mosty.core.citypack import PackInvalid, city_init
from mosty.mentoring import engine_data
from mosty.mentoring.matching import DEFAULT_WEIGHTS

PACK = """
city: {name: Testowo, slug: testowo, default_language: pl, languages: [pl, en]}
districts:
- {code: a, name: A, centroid: {lat: 54.35, lon: 18.65}}
matching:
%s
"""


def test_pack_weights_override_the_defaults(db, tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text(PACK % "  distance: 5\n  max_candidates: 10\n", encoding="utf-8")
    city_init(path=path)
    weights = engine_data.weights()
    assert weights["distance"] == 5.0 and weights["max_candidates"] == 10.0
    assert weights["language"] == DEFAULT_WEIGHTS["language"]


def test_bad_weights_are_reported_with_their_path(db, tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text(PACK % "  distance: -1\n  charm: 3\n", encoding="utf-8")
    with pytest.raises(PackInvalid) as exc:
        city_init(path=path)
    paths = {e.path for e in exc.value.errors}
    assert paths == {"matching.distance", "matching.charm"}
    assert engine_data.weights() == DEFAULT_WEIGHTS
