"""Bad input: a clear one-line error naming the file and the problem; the rest of the corpus is still
reported; docs/ keeps the last good build; seeds/ is never touched."""
from __future__ import annotations

import codecs
import os
import random

import pytest
import yaml

from build_tools.build import build, summary

from .conftest import SEEDS


def snapshot(docs):
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def listing(seeds):
    """What seeds/ holds, without opening anything that is not a regular file (a FIFO would block)."""
    return {p.name: p.read_bytes() if p.is_file() and not p.is_symlink() else str(p.lstat().st_mode)
            for p in seeds.iterdir()}


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
    "binary": (lambda s: (s / "bad.txt").write_bytes(binary()), "bad.txt: binary file"),
    "suffix": (lambda s: (s / "page.html").write_text("<p>x</p>"), "page.html: suffix '.html' is not a raw source"),
    "readme": (lambda s: (s / "README.md").write_text("# notes"), "README.md: suffix '.md' is not a raw source"),
    "dot-file": (lambda s: (s / ".hidden.txt").write_text("文字"), ".hidden.txt: a hidden file"),
    "symlink": (lambda s: (s / "link.txt").symlink_to(SEEDS / "000_df4a7801ed8c6299.txt"),
                "link.txt: a symbolic link"),
    "dangling-symlink": (lambda s: (s / "gone.txt").symlink_to(s / "nowhere.txt"), "gone.txt: a dangling symbolic link"),
    "fifo": (lambda s: os.mkfifo(s / "pipe.txt"), "pipe.txt: not a regular file"),
    "folder": (lambda s: (s / "more").mkdir(), "more: a folder"),
    "bom-then-gbk": (lambda s: (s / "bad.txt").write_bytes(codecs.BOM_UTF8 + "组织工作".encode("gbk")),
                     "bad.txt: starts with a UTF-8 byte-order mark, but the bytes at offset 3 are invalid UTF-8"),
    "utf16-odd-length": (lambda s: (s / "bad.txt").write_bytes(codecs.BOM_UTF16_LE + "组织".encode("utf-16-le") + b"x"),
                         "bad.txt: starts with a UTF-16 byte-order mark, but the bytes at offset 6 are truncated"),
    "invisible-only": (lambda s: (s / "bad.txt").write_text("\u3000\u200b\n\u3000\ufeff\u200d\n", encoding="utf-8"),
                       "bad.txt: no text: only spaces, line breaks or invisible characters"),
    "too-large": (lambda s: (s / "bad.txt").write_bytes("组".encode() * 2_700_000),
                  "bad.txt: 8,100,000 bytes, over the limit of 8,000,000 (max_raw_bytes"),
    "yaml-alias-bomb": (lambda s: (s / "000_df4a7801ed8c6299.yml").write_text(
        sidecar_of("000-df4a7801ed8c6299").replace("rights:", "x0: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                                                   "x1: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nrights:")),
        "000_df4a7801ed8c6299.yml: metadata YAML does not parse at line"),
    "url-with-quote": (lambda s: (s / "000_df4a7801ed8c6299.yml").write_text(
        sidecar_of("000-df4a7801ed8c6299") + 'source: {url: \'http://evil.example/"><script>alert(5)</script>\'}\n'),
        "000_df4a7801ed8c6299.yml: metadata fails the schema at source/url"),
    "newline-in-title": (lambda s: (s / "000_df4a7801ed8c6299.yml").write_text(
        sidecar_of("000-df4a7801ed8c6299").replace("title: ", "title: \"第一行\\n第二行\"\nx_title: ", 1)),
        "000_df4a7801ed8c6299.yml: metadata fails the schema at"),
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
    seeds_before = listing(corpus)
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
    assert listing(corpus) == seeds_before


def _erratum(corpus, doc_id: str, entries: list[dict]) -> None:
    (corpus / "errata").mkdir(exist_ok=True)
    (corpus / "errata" / f"{doc_id}.yml").write_text(
        yaml.safe_dump({"errata": entries}, allow_unicode=True), encoding="utf-8")


def test_erratum_overrides_the_automatic_repair(corpus, tmp_path):
    _erratum(corpus, "004-c74ad4d4a80dbc28", [{
        "original": "報告?zhèn)浒钢贫?、?shí)行", "correction": "報告備案制度、實行",
        "reason": "据上下文与同类制度名称校定"}])
    report = build(corpus, tmp_path / "docs", progress=False)
    assert report.ok, [str(e) for e in report.errors]
    item = {b.meta["id"]: b for b in report.built}["004-c74ad4d4a80dbc28"]
    assert "报告备案制度、实行重要岗位" in item.cleaned
    assert ("<td>勘误</td><td>報告?zhèn)浒钢贫?、?shí)行</td><td>報告備案制度、實行</td><td>1.00</td>"
            "<td>据上下文与同类制度名称校定</td></tr>") in item.apparatus


@pytest.mark.parametrize("entries, problem", [
    ([{"original": "這段文字不存在", "correction": "x", "reason": "r"}], "is not in the text"),
    ([{"original": "的", "correction": "x", "reason": "r"}], "times; add context to make it unique"),
    ([{"original": "報告?zhèn)浒钢贫", "correction": "報告備案制", "reason": "r"},
      {"original": "浒钢贫?、", "correction": "案制度、", "reason": "r"}], "errata conflict"),
    ([{"original": "報告", "correction": "x"}], "needs exactly the text fields"),
])
def test_bad_errata_fail_the_build_naming_the_file(corpus, tmp_path, entries, problem):
    _erratum(corpus, "004-c74ad4d4a80dbc28", entries)
    docs = tmp_path / "docs"
    report = build(corpus, docs, progress=False)
    assert not report.ok and not docs.exists()
    assert any(e.path == str(corpus / "errata" / "004-c74ad4d4a80dbc28.yml") and problem in e.problem
               for e in report.errors), [str(e) for e in report.errors]


def test_errata_file_for_no_document_is_an_error(corpus, tmp_path):
    _erratum(corpus, "no-such-id", [{"original": "a", "correction": "b", "reason": "r"}])
    report = build(corpus, tmp_path / "docs", progress=False)
    assert [str(e) for e in report.errors] == [
        f"{corpus / 'errata' / 'no-such-id.yml'}: errata file matches no document id (name it errata/<id>.yml)"]


def test_a_change_made_by_another_source_through_the_corpus_model_names_that_source(corpus, tmp_path):
    """001's headings are repaired with the corpus model. When its cleaned text differs from the previous
    build while its own file does not, the build says which sources changed the model, and a locked anchor
    that disappears is blamed on that source, not on the lock file."""
    docs = tmp_path / "docs"
    assert build(corpus, docs, progress=False).ok
    clean = docs / "data" / "clean" / "001-b16a05757ca6571f.txt"
    clean.write_text(clean.read_text(encoding="utf-8") + "（上一版）", encoding="utf-8")  # as a previous build left it
    (corpus / "zz_new.txt").write_text("新增文献\n\n某市委组织部开展培训。\n", encoding="utf-8")
    lock = tmp_path / "url-lock.txt"
    lock.write_text("documents/001-b16a05757ca6571f/#gone\n", encoding="utf-8")
    report = build(corpus, docs, progress=False, url_lock=lock)
    assert f"{corpus / '001_b16a05757ca6571f.txt'}: its text changed though its source did not: the corpus model " \
           f"of the one-byte-shift repair changed with {corpus / 'zz_new.txt'}" in report.warnings
    assert [str(e) for e in report.errors] == [
        f"{corpus / 'zz_new.txt'}: changed the corpus model of the one-byte-shift repair, and so the text of "
        f"001-b16a05757ca6571f: published URL 'documents/001-b16a05757ca6571f/#gone' disappeared: restore it or "
        f"add a redirect to redirects.yml"]


def test_a_write_that_fails_is_one_line_and_leaves_docs_as_it_was(corpus, tmp_path, monkeypatch):
    import errno

    from build_tools.publish import output
    docs = tmp_path / "docs"
    assert build(SEEDS, docs, progress=False).ok
    good = snapshot(docs)
    (corpus / "zz_new.txt").write_text("新增文献\n\n某市委组织部开展培训。\n", encoding="utf-8")

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))
    monkeypatch.setattr(output, "_write", full)
    report = build(corpus, docs, progress=False)
    assert not report.ok and len(report.errors) == 1
    assert "cannot write the build (No space left on device)" in str(report.errors[0])
    assert snapshot(docs) == good and output.incomplete(docs) is None


def test_a_corrupt_cache_entry_is_recomputed(tmp_path):
    cache, docs = tmp_path / "cache", tmp_path / "docs"
    first = build(SEEDS, docs, progress=False, cache_dir=cache)
    assert first.ok
    entries = sorted(cache.rglob("*.json"))
    assert entries
    for entry in entries:
        entry.write_text("{not json", encoding="utf-8")
    (cache / "model").mkdir(exist_ok=True)
    for model in (cache / "model").glob("*.pickle"):
        model.write_bytes(b"not a pickle")
    again = build(SEEDS, tmp_path / "docs2", progress=False, cache_dir=cache)
    assert again.ok and not any(b.cached for b in again.built)
    assert {b.meta["id"]: b.cleaned for b in again.built} == {b.meta["id"]: b.cleaned for b in first.built}
