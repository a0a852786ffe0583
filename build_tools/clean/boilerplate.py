"""Stage 2, strip boilerplate: remove content-farm headers and site footers by data-driven rules
(rules/boilerplate.yml), moving what they say (source site, original URL, posting time) into the
document's provenance instead of deleting it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .. import vocab
from .edits import Edit, StageResult, add_step

STAGE = "boilerplate"
RULES_FILE = vocab.RULES / "boilerplate.yml"
SENTENCE_PUNCTUATION = re.compile(r"[。！？，；,;!?]")


@dataclass(frozen=True)
class Rule:
    name: str
    zone: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Config:
    head_lines: int
    tail_lines: int
    max_line_chars: int
    footer_filler_max_chars: int
    repeated_title: bool
    rules: tuple[Rule, ...]


@lru_cache(maxsize=None)
def load_config(path: Path = RULES_FILE) -> Config:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = tuple(Rule(r["name"], r["zone"], re.compile(r["pattern"])) for r in data["rules"])
    return Config(data["head_lines"], data["tail_lines"], data["max_line_chars"],
                  data["footer_filler_max_chars"], data["repeated_title"], rules)


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for every line."""
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _match(config: Config, zone: str, line: str) -> tuple[Rule, re.Match] | None:
    stripped = line.strip()
    if not stripped or len(stripped) > config.max_line_chars:
        return None
    for rule in config.rules:
        if rule.zone == zone:
            match = rule.pattern.search(stripped)
            if match:
                return rule, match
    return None


def strip(text: str, config: Config | None = None) -> tuple[StageResult, dict[str, str]]:
    """Return the stage result and the provenance fields the removed lines carried."""
    config = config or load_config()
    lines = _lines(text)
    nonblank = [i for i, (_, line) in enumerate(lines) if line.strip()]
    removals: dict[int, str] = {}  # line index -> rule name
    provenance: dict[str, str] = {}

    def take(index: int, rule: str, match: re.Match | None = None) -> None:
        removals[index] = rule
        for key, value in (match.groupdict() if match else {}).items():
            if value:
                provenance.setdefault(key, value.strip())

    head = nonblank[:config.head_lines]
    title = lines[head[0]][1].strip() if head else ""
    for index in head:
        found = _match(config, "head", lines[index][1])
        if found:
            take(index, found[0].name, found[1])
        elif config.repeated_title and index != head[0] and lines[index][1].strip() == title:
            take(index, "repeated-title")

    # Tail: the footer block starts at the earliest footer line such that every non-blank line from
    # there to the end is a footer line or short filler without sentence punctuation.
    tail = [i for i in nonblank[-config.tail_lines:] if i not in removals]
    footer_start = None
    for position in range(len(tail) - 1, -1, -1):
        line = lines[tail[position]][1].strip()
        if _match(config, "tail", line):
            footer_start = position
        elif len(line) > config.footer_filler_max_chars or SENTENCE_PUNCTUATION.search(line):
            break
    if footer_start is not None:
        for index in tail[footer_start:]:
            found = _match(config, "tail", lines[index][1])
            if found:
                take(index, found[0].name, found[1])
            else:
                take(index, "footer-filler")

    edits = []
    for index, rule in sorted(removals.items()):
        offset, line = lines[index]
        has_newline = index < len(lines) - 1
        edits.append(Edit(STAGE, rule, offset, line + ("\n" if has_newline else ""), ""))
    result = StageResult(text)
    add_step(result, edits)
    return result, provenance
