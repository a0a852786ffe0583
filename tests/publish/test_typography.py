"""Issue 17, Chinese typography: hand-written pages are not hard-wrapped (a newline between two Chinese
characters renders as a stray space), the metadata table sits in a <details> written open that folds on a
phone, and an inference's evidence is in words, never a rule's pattern (pages built from the shape fixtures,
which have no sidecars)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from build_tools.build import build
from tests.conftest import ROOT

BLOCK_START = re.compile(r"^\s*(#|[-*+] |\d+\. |\||```|--8<--|<|---|>|\{|$)")
SHAPES = ROOT / "tests" / "fixtures" / "shapes"


def cjk(char: str) -> bool:
    return ord(char) >= 0x2E80


def hand_written() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "docs/*.md"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.split()
    return [ROOT / name for name in listed if name.count("/") == 1]


def soft_breaks(text: str) -> list[str]:
    """Lines continued on the next line where either side of the break is a CJK character (front matter
    and fenced code aside)."""
    lines = text.split("\n")
    if lines and lines[0] == "---":
        lines = lines[lines.index("---", 1) + 1:]
    found, fence = [], False
    for line, following in zip(lines, lines[1:]):
        if line.startswith("```"):
            fence = not fence
        if fence or not line.strip() or BLOCK_START.match(following) or BLOCK_START.match(line) and \
                line.lstrip()[:1] in "#|<{":
            continue
        if cjk(line.rstrip()[-1]) or cjk(following.strip()[0]):
            found.append(line[-20:] + "⏎" + following[:20])
    return found


def test_hand_written_pages_are_not_hard_wrapped():
    pages = hand_written()
    assert {p.name for p in pages} >= {"index.md", "about.md", "about-data.md", "cite.md", "search.md"}
    wrapped = {p.name: soft_breaks(p.read_text(encoding="utf-8")) for p in pages}
    assert not {k: v for k, v in wrapped.items() if v}, wrapped


def test_generated_pages_are_not_hard_wrapped(built):
    _, docs = built
    wrapped = {p.name: soft_breaks(p.read_text(encoding="utf-8")) for p in docs.rglob("*.md")}
    assert not {k: v for k, v in wrapped.items() if v}


def test_metadata_table_is_in_a_details_written_open(pages):
    for doc_id, (meta, body) in pages.items():
        head = body.split("## 引用本文")[0]
        assert '<details class="metadata" open markdown="1">' in head, doc_id
        summary = re.search(r"<summary>著录信息<span class=\"metadata-brief\">：(.+?)</span></summary>", head)
        assert summary and meta["genre"] in summary[1], doc_id
        assert "| 体裁 |" in head.split("</details>")[0], doc_id


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    """The shape fixtures built without sidecars: {stem: (front matter, body)}."""
    tmp = tmp_path_factory.mktemp("shapes")
    seeds = tmp / "seeds"
    seeds.mkdir()
    for path in sorted(SHAPES.glob("*.txt")):
        (seeds / path.name).write_bytes(path.read_bytes())
    build(seeds, tmp / "docs", progress=False, url_lock=None)
    out = {}
    for path in sorted((tmp / "docs" / "documents").glob("*.md")):
        if path.name != "index.md":
            _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
            out[path.stem] = (yaml.safe_load(front), body)
    return out


def rule_patterns() -> list[str]:
    """Every regular expression of the rules that infer metadata (cues, chrome, structure), as written."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("pattern", "patterns", "regex") and isinstance(value, str):
                    found.append(value)
                elif key in ("patterns",) and isinstance(value, list):
                    found.extend(v for v in value if isinstance(v, str))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in (ROOT / "build_tools" / "rules").glob("*.yml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return [p for p in found if len(p) >= 6]


REGEX_SYNTAX = re.compile(r"\\[dswDSWbu]|\(\?[:=!<imsx]|\[\^|\{\d+,\d*\}|[^\\]\.[*+?]|\\n")


def test_evidence_is_in_words_never_a_pattern(shapes):
    assert len(shapes) >= 55
    patterns = rule_patterns()
    assert patterns
    evidence = []
    for stem, (meta, body) in shapes.items():
        evidence += [(stem, field, text) for field, text in meta["inferred"].items()]
        evidence += [(stem, "date", meta["date"]["evidence"])] if meta["date"].get("evidence") else []
        evidence += [(stem, "page", text) for text in re.findall(r"（推断：(.+?)）\s*\|", body)]
    assert len(evidence) > 300
    for stem, field, text in evidence:
        assert not REGEX_SYNTAX.search(text), (stem, field, text)
        assert not any(p in text for p in patterns), (stem, field, text)
        assert re.search(r"[\u4e00-\u9fff]", text), (stem, field, text)  # words, in Chinese
