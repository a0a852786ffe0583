"""Stage 6, structure: cleaned paragraphs -> blocks (title, dateline, headings, paragraphs,
attributions), by the rules in rules/structure.yml. Characters are never changed here: a heading is a
paragraph's own text (or its first sentence), so the cleaned text stays the citable text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pymdownx.slugs import slugify

from .. import vocab

RULES_FILE = vocab.RULES / "structure.yml"
SLUGIFY = slugify(case="lower")


@dataclass
class Block:
    kind: str  # title | dateline | heading | paragraph | attribution
    text: str
    level: int = 0
    anchor: str = ""
    marker: str = ""  # entry | subhead | outline marker name
    start: int = 0  # offset of `text` in the cleaned text (emendations are marked by offset)


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)


@lru_cache(maxsize=None)
def rules(path: Path = RULES_FILE) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    compiled = {key: re.compile(value) for key, value in data.items() if isinstance(value, str)}
    compiled["outline_markers"] = [(m["name"], re.compile(m["pattern"])) for m in data["outline_markers"]]
    compiled["heading_max_chars"] = data["heading_max_chars"]
    compiled["run_in_heading_max_chars"] = data["run_in_heading_max_chars"]
    return compiled


def is_title_line(paragraph: str) -> bool:
    r = rules()
    return (len(paragraph) <= r["heading_max_chars"] and "。" not in paragraph
            and not r["entry"].match(paragraph) and not _outline_marker(paragraph))


def _outline_marker(paragraph: str) -> str:
    for name, pattern in rules()["outline_markers"]:
        if pattern.match(paragraph):
            return name
    return ""


def _attribution(paragraph: str) -> tuple[str, str] | None:
    """(text before, attribution) when the paragraph is or ends with an attribution."""
    r = rules()
    for key in ("attribution_credit", "attribution_office", "attribution_names"):
        for match in r[key].finditer(paragraph):
            if match.end() != len(paragraph):
                continue
            before = paragraph[:match.start()]
            if not before or before[-1] in "。！？”":
                return before, match.group(0)
    return None


def _split_outline(paragraph: str, marker: str) -> tuple[str, str]:
    """(heading, rest): the whole paragraph, or its first sentence when a heading is run in."""
    r = rules()
    end = paragraph.find("。")
    if marker != "dash" and len(paragraph) <= r["heading_max_chars"] and end in (-1, len(paragraph) - 1):
        return paragraph, ""
    if 0 < end + 1 <= r["run_in_heading_max_chars"] and end + 1 < len(paragraph):
        return paragraph[:end + 1], paragraph[end + 1:]
    return "", paragraph


def _paragraphs(cleaned: str) -> list[tuple[int, str]]:
    """(offset in `cleaned`, paragraph) for every non-empty paragraph (separated by blank lines)."""
    out, offset = [], 0
    for paragraph in cleaned.split("\n\n"):
        stripped = paragraph.strip("\n")
        if stripped:
            out.append((offset + paragraph.index(stripped), stripped))
        offset += len(paragraph) + 2
    return out


def structure(cleaned: str) -> Document:
    r = rules()
    paragraphs = _paragraphs(cleaned)
    doc = Document()
    has_entries = any(r["entry"].match(p) for _, p in paragraphs)
    outline_order: list[str] = []
    base = 3 if has_entries else 2

    if paragraphs and is_title_line(paragraphs[0][1]):
        start, first = paragraphs.pop(0)
        doc.blocks.append(Block("title", first, start=start))
    if paragraphs and r["dateline"].match(paragraphs[0][1]):
        start, dateline = paragraphs.pop(0)
        doc.blocks.append(Block("dateline", dateline, start=start))

    cited = set()  # titles the text cites (印发《X》的通知): a line that is one of them heads its attachment
    for block in doc.blocks:
        cited.update(r["cited_title"].findall(block.text))
    for pos, paragraph in paragraphs:  # pos: offset of `paragraph` (what is left of it) in `cleaned`
        cited.update(r["cited_title"].findall(paragraph))
        attachment = r["attachment_label"].sub("", paragraph)
        if attachment in cited and not _outline_marker(paragraph):
            doc.blocks.append(Block("heading", paragraph, base, marker="attachment", start=pos))
            continue
        entry = r["entry"].match(paragraph)
        if entry:
            doc.blocks.append(Block("heading", entry.group("title"), 2, marker="entry", start=pos + entry.start("title")))
            pos, paragraph = pos + entry.end(), paragraph[entry.end():]
            if not paragraph:
                continue
        attribution = _attribution(paragraph)
        if attribution:
            attribution_start = pos + len(attribution[0])
            paragraph = attribution[0]
        if has_entries:
            run_in = r["run_in_subhead"].match(paragraph)
            if run_in:
                doc.blocks.append(Block("heading", run_in.group("title"), 3, marker="subhead",
                                        start=pos + run_in.start("title")))
                pos, paragraph = pos + run_in.end(), paragraph[run_in.end():]
        else:
            marker = _outline_marker(paragraph)
            if marker:
                heading, rest = _split_outline(paragraph, marker)
                if heading and not rest and r["outline_item"].search(heading):
                    heading = ""  # a numbered sentence reporting a figure (每个网格配备1名…。): an item
                if heading:
                    if marker not in outline_order:
                        outline_order.append(marker)
                    level = min(base + outline_order.index(marker), 6)
                    doc.blocks.append(Block("heading", heading, level, marker=marker, start=pos))
                    pos, paragraph = pos + len(paragraph) - len(rest), rest
        if paragraph:
            doc.blocks.append(Block("paragraph", paragraph, start=pos))
        if attribution:
            doc.blocks.append(Block("attribution", attribution[1], start=attribution_start))
    _assign_anchors(doc)
    return doc


def _assign_anchors(doc: Document) -> None:
    """Heading anchors as pymdownx.slugs makes them (Chinese kept), unique per page; paragraphs p1…pN."""
    seen: dict[str, int] = {}
    number = 0
    for block in doc.blocks:
        if block.kind == "heading":
            slug = SLUGIFY(block.text, "-") or "section"
            if slug in seen:
                seen[slug] += 1
                slug = f"{slug}_{seen[slug]}"
            else:
                seen[slug] = 0
            block.anchor = slug
        elif block.kind == "paragraph":
            number += 1
            block.anchor = f"p{number}"
