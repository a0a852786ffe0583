"""Score the pipeline on sources of unknown shape: `python -m build_tools score [DIR]`.

DIR (default tests/fixtures/shapes/) holds raw sources `NN_name.txt` and beside each what a reader expects
of it, `NN_name.expected.yml` (title, place, date {value, precision}, genre, chrome_lines, headings,
body_must_contain). Every source is built without a sidecar through the real pipeline (build.build into a
temporary folder, no URL lock), and each field is compared with the expectation:

- title: the inferred title equals the expected one (whitespace and punctuation width aside), or the title
  as printed (`title_as_printed`); a title the expectation marks `supplied` is met by any supplied title
  (in 〔〕, `title_supplied`), since its wording is the archive's;
- place: city and county; year: the year of the date (or none on both sides); precision: the date's;
- genre; chrome left: lines of `chrome_lines` that no logged edit removed (a line listed twice must be
  removed twice); body lost: `body_must_contain` snippets missing from the cleaned text (whitespace
  removed on both sides); headings: false (a heading the expectation does not list, nor as an inline
  outline heading) and missing (an expected heading the page does not make).
"""
from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .clean.convert import convert

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "tests" / "fixtures" / "shapes"
FIELDS = ("title", "place", "year", "precision", "genre", "chrome", "body", "headings")
HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"})


def _norm(text: str | None) -> str:
    """Whitespace removed, ASCII punctuation as full-width, simplified script: the form compared."""
    if not text:
        return ""
    text = re.sub(r"\s+", "", text).translate(HALF_TO_FULL)
    return convert(text)[0].text if re.search(r"[\u4e00-\u9fff]", text) else text


def _heading_norm(text: str) -> str:
    text = _norm(text).lstrip("#")
    return text[1:-1] if text.startswith("【") and text.endswith("】") else text


@dataclass
class Result:
    name: str
    ok: dict[str, bool] = field(default_factory=dict)
    misses: dict[str, str] = field(default_factory=dict)
    chrome_left: list[str] = field(default_factory=list)
    body_lost: list[str] = field(default_factory=list)
    false_headings: list[str] = field(default_factory=list)
    missing_headings: list[str] = field(default_factory=list)


def _removed_lines(edit_log: str) -> Counter:
    """Every whole line a logged edit deleted, by its text (stripped)."""
    removed: Counter = Counter()
    for step in json.loads(edit_log)["steps"]:
        for edit in step:
            if edit["after"] == "" and edit["before"].strip():
                for line in edit["before"].split("\n"):
                    if line.strip():
                        removed[line.strip()] += 1
    return removed


def score_one(name: str, expected: dict, built) -> Result:
    from .describe.structure import structure
    result = Result(name)
    meta = built.meta

    # title
    ours = _norm(meta["title"])
    supplied = bool(meta.get("title_supplied"))
    if expected.get("supplied"):
        ok = supplied
    else:
        ok = not supplied and ours in {_norm(expected["title"]), _norm(expected.get("title_as_printed"))}
    result.ok["title"] = ok
    if not ok:
        result.misses["title"] = f"{meta['title']!r}{' (supplied)' if supplied else ''} ≠ {expected['title']!r}"

    # place: city and county
    def place_pair(place):
        place = place or {}
        return tuple(None if place.get(k) in (None, "不详") else place.get(k) for k in ("city", "county"))
    ours_place, want_place = place_pair(meta.get("place")), place_pair(expected.get("place"))
    result.ok["place"] = ours_place == want_place
    if ours_place != want_place:
        result.misses["place"] = f"{ours_place} ≠ {want_place}"

    # date: year and precision
    date, want = meta.get("date") or {}, expected.get("date") or {}
    year = (date.get("value") or "")[:4] or None
    want_year = (str(want.get("value") or "")[:4]) or None
    result.ok["year"] = year == want_year
    if year != want_year:
        result.misses["year"] = f"{date.get('value')} ≠ {want.get('value')}"
    result.ok["precision"] = date.get("precision") == want.get("precision")
    if not result.ok["precision"]:
        result.misses["precision"] = f"{date.get('precision')} ≠ {want.get('precision')} ({date.get('value')})"

    # genre
    result.ok["genre"] = meta.get("genre") == expected.get("genre")
    if not result.ok["genre"]:
        result.misses["genre"] = f"{meta.get('genre')} ≠ {expected.get('genre')}"

    # chrome left: each listed line must have been removed (as often as it is listed)
    removed = _removed_lines(built.edit_log)
    listed = Counter(line.strip() for line in expected.get("chrome_lines") or [] if line.strip())
    for line, count in listed.items():
        if removed[line] < count:
            result.chrome_left.append(line)
    result.ok["chrome"] = not result.chrome_left
    if result.chrome_left:
        result.misses["chrome"] = " ⏎ ".join(result.chrome_left)

    # body lost
    cleaned = _norm(built.cleaned)
    result.body_lost = [s for s in expected.get("body_must_contain") or [] if _norm(s) not in cleaned]
    result.ok["body"] = not result.body_lost
    if result.body_lost:
        result.misses["body"] = " ⏎ ".join(result.body_lost)

    # headings
    doc = structure(built.cleaned)
    ours_headings = [b.text for b in doc.blocks if b.kind == "heading"]
    want_headings = [*(expected.get("headings_clean") or expected.get("headings") or [])]
    allowed = {_heading_norm(h) for h in [*want_headings, *(expected.get("inline_outline") or [])]}
    ours_norm = {_heading_norm(h) for h in ours_headings}
    result.false_headings = [h for h in ours_headings if _heading_norm(h) not in allowed]
    result.missing_headings = [h for h in want_headings if _heading_norm(h) not in ours_norm]
    result.ok["headings"] = not result.false_headings and not result.missing_headings
    if not result.ok["headings"]:
        result.misses["headings"] = (f"false {result.false_headings}" if result.false_headings else "") + (
            f" missing {result.missing_headings}" if result.missing_headings else "")
    return result


def run(directory: Path = DEFAULT_DIR) -> tuple[list[Result], list[str]]:
    """Build every fixture of `directory` without a sidecar and score it; also the build's error lines."""
    from .build import build
    fixtures = sorted(p for p in directory.glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="score-") as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        for path in fixtures:
            shutil.copyfile(path, seeds / path.name)
        report = build(seeds, Path(tmp) / "docs", progress=False, url_lock=None)
    by_stem = {b.source.stem: b for b in report.built}
    results, errors = [], []
    for path in fixtures:
        stem = path.name[:-len(".txt")]
        expected_file = path.with_name(stem + ".expected.yml")
        if not expected_file.is_file():
            continue
        expected = yaml.safe_load(expected_file.read_text(encoding="utf-8"))
        if stem not in by_stem:
            result = Result(stem, ok={f: False for f in FIELDS}, misses={"build": "not built"})
        else:
            result = score_one(stem, expected, by_stem[stem])
        results.append(result)
    errors = [str(e) for e in report.errors]
    return results, errors


def table(results: list[Result]) -> list[str]:
    n = len(results) or 1
    lines = []
    for name in FIELDS:
        good = sum(r.ok.get(name, False) for r in results)
        lines.append(f"{name:10s} {good:3d}/{len(results)}  {100 * good / n:5.1f}%")
    lines.append(f"{'':10s} chrome lines left {sum(len(r.chrome_left) for r in results)}, "
                 f"body snippets lost {sum(len(r.body_lost) for r in results)}, "
                 f"false headings {sum(len(r.false_headings) for r in results)}, "
                 f"missing headings {sum(len(r.missing_headings) for r in results)}")
    return lines


def report_lines(results: list[Result], errors: list[str]) -> list[str]:
    lines = table(results)
    for name in FIELDS:
        misses = [(r.name, r.misses[name]) for r in results if name in r.misses]
        if misses:
            lines.append(f"-- {name} misses ({len(misses)})")
            lines += [f"   {stem}: {what}" for stem, what in misses]
    lines += [f"build error (not scored): {e}" for e in errors]
    return lines


def main(directory: Path | None = None) -> int:
    directory = directory or DEFAULT_DIR
    if not directory.is_dir():
        print(f"{directory}: not a folder of fixtures", file=sys.stderr)
        return 1
    results, errors = run(directory)
    print("\n".join(report_lines(results, errors)))
    return 0
