"""Bad input: a clear one-line error naming the file and the problem; the rest of the corpus is still
reported; docs/ keeps the last good build; seeds/ is never touched."""
from __future__ import annotations

import random

import pytest

from build_tools.build import build, summary

from .conftest import SEEDS


def snapshot(docs):
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def undecodable() -> bytes:
    # UTF-8 text with a run of bytes that is valid in no Chinese encoding (0x80 and 0xFF never lead)
    return "正常的开头。".encode("utf-8") + bytes([0x80, 0xFF, 0x80, 0xFF]) * 50 + "结尾。".encode("utf-8")


def binary() -> bytes:
    rng = random.Random(7)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(4000))


def sidecar_of(stem: str) -> str:
    return (SEEDS / "000_df4a7801ed8c6299.yml").read_text(encoding="utf-8").replace(
        "000-df4a7801ed8c6299", stem)


CASES = {
    "undecodable": (lambda s: (s / "bad.txt").write_bytes(undecodable()), "bad.txt: undecodable bytes at offset"),
    "empty": (lambda s: (s / "bad.txt").write_bytes(b""), "bad.txt: empty file"),
    "blank": (lambda s: (s / "bad.txt").write_bytes(b" \r\n\t\n"), "bad.txt: empty file"),
    "binary": (lambda s: (s / "bad.png").write_bytes(binary()), "bad.png: binary file"),
    "yaml-syntax": (lambda s: (s / "000_df4a7801ed8c6299.yml").write_text("id: [unclosed\ntitle: x\n"),
                    "000_df4a7801ed8c6299.yml: metadata YAML does not parse at line"),
    "schema": (lambda s: (s / "000_df4a7801ed8c6299.yml").write_text(
        sidecar_of("000-df4a7801ed8c6299").replace("genre: 年鉴条目", "genre: 小说")),
        "000_df4a7801ed8c6299.yml: metadata fails the schema at genre: '小说' is not one of"),
    "missing-field": (lambda s: (s / "000_df4a7801ed8c6299.yml").write_text(
        "\n".join(l for l in sidecar_of("x").splitlines() if not l.startswith("rights"))),
        "000_df4a7801ed8c6299.yml: metadata fails the schema at (top level): 'rights' is a required property"),
    "date-precision": (lambda s: (s / "000_df4a7801ed8c6299.yml").write_text(
        sidecar_of("000-df4a7801ed8c6299").replace("precision: year", "precision: day")),
        "000_df4a7801ed8c6299.yml: metadata date value '2004' does not match precision 'day'"),
    "duplicate-id": (lambda s: (s / "001_b16a05757ca6571f.yml").write_text(
        (s / "001_b16a05757ca6571f.yml").read_text().replace("001-b16a05757ca6571f", "000-df4a7801ed8c6299")),
        "duplicate id '000-df4a7801ed8c6299'"),
    "orphan-metadata": (lambda s: (s / "lost.yml").write_text(sidecar_of("lost")),
                        "lost.yml: metadata file with no source"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_loses_nothing(case, corpus, tmp_path):
    docs = tmp_path / "docs"
    assert build(SEEDS, docs, progress=False).ok
    good = snapshot(docs)
    make, message = CASES[case]
    make(corpus)
    seeds_before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    report = build(corpus, docs, progress=False)
    assert not report.ok
    lines = [str(e) for e in report.errors]
    assert len(lines) == 1, lines
    assert message in lines[0], lines[0]
    assert "\n" not in lines[0]
    assert str(corpus) in lines[0]  # names the file with its path
    # the rest of the corpus was still processed and reported
    assert len(report.built) >= 4
    text = summary(report)
    assert "build failed" in text and lines[0] in text
    assert snapshot(docs) == good
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == seeds_before
