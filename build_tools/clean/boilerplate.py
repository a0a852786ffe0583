"""Stage 2, strip boilerplate: remove page chrome (breadcrumbs, bylines, counters, share and print
buttons, related lists, site footers, page numbers…) by data-driven rules (rules/boilerplate.yml), moving
what it says (source site, original URL, posting time, author, editor, newspaper or journal issue) into
the document's provenance instead of deleting it. A rule matches a whole line, in the head or the tail of
the page or anywhere for a line that is chrome by its whole shape; every removal is a logged edit."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .. import vocab
from .convert import converter
from .edits import Edit, StageResult, add_step

STAGE = "boilerplate"
RULES_FILE = vocab.RULES / "boilerplate.yml"
SENTENCE_PUNCTUATION = re.compile(r"[。！？，；,;!?]")
# A reading annotation inserted after a character (時(shí)間): removed from the reading form only.
ANNOTATION = re.compile(f"(?<=[{vocab.HAN}])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{{1,7}}[)）]")
DATE_VALUE = re.compile(r"^\d{4}\s*(?:[-/.年]\s*\d{1,2}\s*(?:[-/.月]\s*\d{1,2}\s*日?)?)?"
                        r"(?:\s*\d{1,2}\s*[:：时]\s*\d{2}\s*(?:分|[:：]\d{2})?)?$")
LEADING_DATETIME = re.compile(r"^(?P<posted_at>\d{4}(?:-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|年\d{1,2}月\d{1,2}日)"
                              r"\s*\d{1,2}:\d{2}(?::\d{2})?)[\s　]+")
FIELD_SEPARATORS = " \t\u3000|｜【】[]『』"


@dataclass(frozen=True)
class Rule:
    name: str
    zone: str
    pattern: re.Pattern
    follows: bool = False  # only inside a footer block started above it


@dataclass(frozen=True)
class Config:
    head_lines: int
    tail_lines: int
    max_line_chars: int
    footer_filler_max_chars: int
    repeated_title: bool
    rules: tuple[Rule, ...]
    body_sentence: re.Pattern = re.compile(r"[。！？!?]")
    head_keeps: re.Pattern | None = None
    labels: tuple[tuple[str, str], ...] = ()  # (label, provenance field or "-"), longest label first
    max_value_chars: int = 40
    prefixes: tuple[Rule, ...] = ()
    field_start: re.Pattern | None = None  # a label and its colon
    field_any: re.Pattern | None = None  # a label and its colon after a separator


@lru_cache(maxsize=None)
def load_config(path: Path = RULES_FILE) -> Config:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = tuple(Rule(r["name"], r["zone"], re.compile(r["pattern"]), r.get("follows", False)) for r in data["rules"])
    byline = data.get("byline") or {}
    labels = sorted(((label, field) for field, names in (byline.get("labels") or {}).items() for label in names),
                    key=lambda item: (-len(item[0]), item[0]))
    alternatives = "|".join(re.escape(label) for label, _ in labels)
    return Config(
        data["head_lines"], data["tail_lines"], data["max_line_chars"], data["footer_filler_max_chars"],
        data["repeated_title"], rules,
        re.compile(data.get("body_sentence", r"[。！？!?]")),
        re.compile(data["head_keeps"]) if data.get("head_keeps") else None,
        tuple(labels), byline.get("max_value_chars", 40),
        tuple(Rule(p["name"], "head", re.compile(p["pattern"])) for p in data.get("prefixes", [])),
        re.compile(rf"^[-•·\s【\[]*(?P<label>{alternatives})\s*[:：]") if labels else None,
        re.compile(rf"(?:^|[{re.escape(FIELD_SEPARATORS)}])(?P<label>{alternatives})\s*[:：]") if labels else None,
    )


def reading_form(line: str) -> str:
    """The line as the later stages will read it: reading annotations removed, simplified script."""
    line = ANNOTATION.sub("", line)
    return converter("t2s").convert(line)


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for every line."""
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def byline_fields(config: Config, line: str) -> dict[str, str] | None:
    """{field: value} when the whole line is `label：value` pairs (optionally after a posting date and
    time), else None. Values are short, without sentence punctuation; a date label holds a date."""
    if config.field_start is None:
        return None
    fields: dict[str, str] = {}
    if line[:1] in "（(" and line[-1:] in "）)":
        line = line[1:-1]
    leading = LEADING_DATETIME.match(line)
    if leading:
        fields["posted_at"] = leading.group("posted_at")
        line = line[leading.end():]
    if not config.field_start.match(line):
        return None
    starts = list(config.field_any.finditer(line))
    if not starts or line[:starts[0].start("label")].strip(FIELD_SEPARATORS + "-•·"):
        return None
    field_of = dict(config.labels)
    for number, match in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(line)
        value = line[match.end():end].strip(FIELD_SEPARATORS)
        if len(value) > config.max_value_chars or config.body_sentence.search(value):
            return None
        field = field_of[match.group("label")]
        if field == "posted_at" and value and not DATE_VALUE.match(value):
            return None
        if field != "-" and value:
            fields.setdefault(field, value)
    return fields


def _match(config: Config, zone: str, line: str) -> tuple[Rule, re.Match] | None:
    stripped = line.strip()
    if not stripped or len(stripped) > config.max_line_chars:
        return None
    reading = None
    for rule in config.rules:
        if rule.zone == zone or rule.zone == "any":
            match = rule.pattern.search(stripped)
            if match is None:
                reading = reading_form(stripped) if reading is None else reading
                if reading != stripped:
                    match = rule.pattern.search(reading)
            if match:
                return rule, match
    return None


_BYLINE = Rule("byline", "any", re.compile(""))


def _chrome(config: Config, zone: str, line: str) -> tuple[Rule, dict[str, str]] | None:
    """The rule a line is chrome by in `zone` (a pattern rule, else a byline), with the fields it says."""
    found = _match(config, zone, line)
    if found:
        return found[0], {k: v.strip() for k, v in found[1].groupdict().items() if v}
    stripped = line.strip()
    if zone != "any" and stripped and len(stripped) <= config.max_line_chars:
        for form in dict.fromkeys((stripped, reading_form(stripped))):
            fields = byline_fields(config, form)
            if fields is not None:
                return _BYLINE, fields
    return None


def strip(text: str, config: Config | None = None) -> tuple[StageResult, dict[str, str]]:
    """Return the stage result and the provenance fields the removed lines carried."""
    config = config or load_config()
    lines = _lines(text)
    nonblank = [i for i, (_, line) in enumerate(lines) if line.strip()]
    removals: dict[int, str] = {}  # line index -> rule name
    prefixes: dict[int, tuple[str, int]] = {}  # line index -> (rule name, length of the prefix removed)
    provenance: dict[str, str] = {}

    def take(index: int, rule: str, fields: dict[str, str] | None = None) -> None:
        removals[index] = rule
        for key, value in (fields or {}).items():
            provenance.setdefault(key, value)

    # Head: chrome lines before the body starts; the first line kept is the title candidate, and a later
    # identical line in the head is a repeated title.
    title = None
    for index in nonblank[:config.head_lines]:
        line = lines[index][1].strip()
        found = _chrome(config, "head", line)
        if found:
            take(index, found[0].name, found[1])
            continue
        if config.repeated_title and title is not None and line == title:
            take(index, "repeated-title")
            continue
        if config.body_sentence.search(line) and not (config.head_keeps and config.head_keeps.match(line)):
            break
        if title is None:
            title = line
            for rule in config.prefixes:
                match = rule.pattern.match(line)
                if match:
                    raw_line = lines[index][1]
                    prefixes[index] = (rule.name, raw_line.index(line) + match.end())
                    title = line[match.end():]
                    break

    # Anywhere: lines that are chrome by their whole shape; a running header repeated after a page number.
    head_texts = {lines[i][1].strip() for i in nonblank[:3]}
    after_page_number = False
    for index in nonblank:
        if index in removals:
            after_page_number = removals[index] == "page-number"
            continue
        found = _chrome(config, "any", lines[index][1])
        if found:
            take(index, found[0].name, found[1])
            after_page_number = found[0].name == "page-number"
        elif after_page_number and lines[index][1].strip() in head_texts and index not in nonblank[:3]:
            take(index, "running-header")
            after_page_number = False
        else:
            after_page_number = False

    # Tail: the footer block starts at the earliest footer line such that every non-blank line from
    # there to the end is a footer line or short filler without sentence punctuation.
    tail = [i for i in nonblank[-config.tail_lines:] if i not in removals and i not in prefixes]
    footer_start = None
    found_at: dict[int, tuple[Rule, dict[str, str]]] = {}
    for position in range(len(tail) - 1, -1, -1):
        line = lines[tail[position]][1].strip()
        found = _chrome(config, "tail", line)
        if found:
            found_at[tail[position]] = found
            if not found[0].follows:
                footer_start = position
        elif len(line) > config.footer_filler_max_chars or SENTENCE_PUNCTUATION.search(line):
            break
    if footer_start is not None:
        for index in tail[footer_start:]:
            if index in found_at:
                take(index, found_at[index][0].name, found_at[index][1])
            else:
                take(index, "footer-filler")

    edits = []
    for index in sorted(set(removals) | set(prefixes)):
        offset, line = lines[index]
        if index in removals:
            has_newline = index < len(lines) - 1
            edits.append(Edit(STAGE, removals[index], offset, line + ("\n" if has_newline else ""), ""))
        else:
            rule, length = prefixes[index]
            edits.append(Edit(STAGE, rule, offset, line[:length], ""))
    result = StageResult(text)
    add_step(result, edits)
    return result, provenance
