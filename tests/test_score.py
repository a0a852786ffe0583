"""The shape fixtures (tests/fixtures/shapes/), built without sidecars through the real pipeline and
scored per field (build_tools/score.py): no body text is ever lost, and title, place, year, date precision,
genre and chrome are right on at least 95% of the fixtures. The misses are printed (pytest -s, or on failure)."""
from __future__ import annotations

import pytest

from build_tools import score

FIELDS = ("title", "place", "year", "precision", "genre", "chrome")


@pytest.fixture(scope="module")
def scored():
    results, errors = score.run(score.DEFAULT_DIR)
    print("\n".join(score.report_lines(results, errors)))
    return results, errors


def test_every_fixture_is_built_and_scored(scored):
    results, errors = scored
    assert len(results) == len(list(score.DEFAULT_DIR.glob("*.expected.yml")))
    assert all("build" not in r.misses for r in results), [r.name for r in results if "build" in r.misses]


def test_no_body_text_is_lost(scored):
    results, _ = scored
    lost = {r.name: r.body_lost for r in results if r.body_lost}
    assert not lost, lost


@pytest.mark.parametrize("field", FIELDS)
def test_field_is_right_on_95_percent_of_fixtures(scored, field):
    results, _ = scored
    good = sum(r.ok[field] for r in results)
    misses = {r.name: r.misses[field] for r in results if field in r.misses}
    assert good >= 0.95 * len(results), f"{field}: {good}/{len(results)}; misses: {misses}"
