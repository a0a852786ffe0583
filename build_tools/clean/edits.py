"""The edit log: every stage returns its text and the edits it made, like ftfy's fix_and_explain.

A stage's work is a list of steps. A step is one rule's edits, each positioned on the text as it was
before that step. Replaying every step, in order, on the decoded raw text reproduces the cleaned text
exactly (tested on every seed).
"""
from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class Edit:
    stage: str
    rule: str
    start: int  # offset in the text the step received
    before: str
    after: str
    kind: str = ""  # repair kind: pinyin, straddle, shift, lacuna, erratum ("" for cleaning edits)
    confidence: float | None = None
    note: str = ""

    def to_json(self) -> dict:
        data = {"stage": self.stage, "rule": self.rule, "start": self.start, "before": self.before,
                "after": self.after}
        for key in ("kind", "confidence", "note"):
            value = getattr(self, key)
            if value not in ("", None):
                data[key] = value
        return data


@dataclass
class StageResult:
    text: str
    steps: list[list[Edit]] = field(default_factory=list)

    @property
    def edits(self) -> list[Edit]:
        return [edit for step in self.steps for edit in step]


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply one step's non-overlapping edits; raise if one does not match the text."""
    out = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < cursor:
            raise ValueError(f"overlapping edits at {edit.start} ({edit.stage}/{edit.rule})")
        if text[edit.start:edit.start + len(edit.before)] != edit.before:
            raise ValueError(f"edit {edit.stage}/{edit.rule} at {edit.start} does not match the text")
        out.append(text[cursor:edit.start])
        out.append(edit.after)
        cursor = edit.start + len(edit.before)
    out.append(text[cursor:])
    return "".join(out)


def replay(text: str, steps: list[list[Edit]]) -> str:
    for step in steps:
        text = apply_edits(text, step)
    return text


def log_to_json(steps: list[list[Edit]]) -> list[list[dict]]:
    return [[edit.to_json() for edit in step] for step in steps]


def log_from_json(data: list[list[dict]]) -> list[list[Edit]]:
    return [[Edit(**edit) for edit in step] for step in data]


Replacement = str | Callable[[re.Match], str | None]


def regex_edits(text: str, pattern: re.Pattern, stage: str, rule: str, replace: Replacement) -> list[Edit]:
    """One edit per match whose replacement differs; a callable may return None to keep a match."""
    edits = []
    for match in pattern.finditer(text):
        after = match.expand(replace) if isinstance(replace, str) else replace(match)
        if after is not None and after != match.group(0):
            edits.append(Edit(stage, rule, match.start(), match.group(0), after))
    return edits


def run_steps(text: str, stage: str, rules: list[tuple[str, re.Pattern, Replacement]]) -> StageResult:
    """Apply regex rules one after another, each as a step of its own."""
    result = StageResult(text)
    for rule, pattern, replace in rules:
        add_step(result, regex_edits(result.text, pattern, stage, rule, replace))
    return result


def add_step(result: StageResult, edits: list[Edit]) -> None:
    if edits:
        result.text = apply_edits(result.text, edits)
        result.steps.append(edits)


def diff_edits(before: str, after: str, stage: str, rule: str) -> list[Edit]:
    """Edits that turn `before` into `after`, for steps computed by a library (OpenCC, NFC)."""
    if len(before) == len(after):  # the common case for t2s and NFC: compare code point by code point
        edits, i = [], 0
        while i < len(before):
            if before[i] == after[i]:
                i += 1
                continue
            j = i
            while j < len(before) and before[j] != after[j]:
                j += 1
            edits.append(Edit(stage, rule, i, before[i:j], after[i:j]))
            i = j
        return edits
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [Edit(stage, rule, i1, before[i1:i2], after[j1:j2])
            for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


class _StepMap:
    """Where a position of a step's input lands in its output. A boundary inside a replacement of the same
    length keeps its offset (character for character, as OpenCC's); inside any other replacement it moves
    to the replacement's start (left) or end (right). Text inserted exactly at a boundary stays outside.
    Edits are sorted once and searched by bisection, so mapping many positions stays linear-logarithmic."""

    def __init__(self, step: list[Edit]):
        self.edits = sorted(step, key=lambda e: e.start)
        self.ends = [e.start + len(e.before) for e in self.edits]
        self.deltas = [0]  # deltas[k]: total length change of the first k edits
        for edit in self.edits:
            self.deltas.append(self.deltas[-1] + len(edit.after) - len(edit.before))

    def __call__(self, position: int, left: bool) -> int:
        # Edits ending before the position (and, for a left boundary, an insertion exactly at it) lie wholly
        # before it; they are a prefix of the sorted, non-overlapping edits.
        k = bisect.bisect_left(self.ends, position)
        while k < len(self.edits) and self.ends[k] == position and (left or self.edits[k].start < position):
            k += 1
        if k < len(self.edits) and self.edits[k].start < position < self.ends[k]:
            edit = self.edits[k]
            if len(edit.after) == len(edit.before):
                return position + self.deltas[k]
            return edit.start + self.deltas[k] + (0 if left else len(edit.after))
        return position + self.deltas[k]


def final_spans(steps: list[list[Edit]], wanted: list[Edit]) -> list[tuple[int, int]]:
    """For each edit in `wanted` (edits of `steps`), the span its correction occupies in the text the last
    step returns: (start, end), end == start for a deletion. Later steps (OpenCC, punctuation) may rewrite
    the corrected characters; the span follows them."""
    tracked: dict[int, tuple[int, int]] = {}
    wanted_ids = {id(edit) for edit in wanted}
    for step in steps:
        step_map = _StepMap(step)
        for key, (start, end) in tracked.items():
            new_start, new_end = step_map(start, True), step_map(end, False)
            tracked[key] = (new_start, max(new_start, new_end))
        delta = 0
        for edit in sorted(step, key=lambda e: e.start):
            if id(edit) in wanted_ids:
                tracked[id(edit)] = (edit.start + delta, edit.start + delta + len(edit.after))
            delta += len(edit.after) - len(edit.before)
    return [tracked[id(edit)] for edit in wanted]
