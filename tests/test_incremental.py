"""The build's shortcuts give the same archive as a whole build: the record of the last good build (a
build with nothing changed is decided from it; a generated file touched on disk is not trusted), the
document files linked from the previous docs/ when what they are made from is the same, and the corpus
model updated from the documents that changed instead of computed from every document."""
from __future__ import annotations

import json
import pickle
import shutil

from build_tools.build import _corpus_model, build, build_all
from build_tools.sources import discover
from tests.conftest import SEEDS

ADDED = "\n\n新增一段：某市委组织部开展干部教育培训，参训干部一千余人次。\n".encode("utf-8")


def snapshot(docs):
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def test_a_changed_corpus_gives_the_same_archive_as_a_build_without_cache(corpus, tmp_path):
    cache, docs = tmp_path / "cache", tmp_path / "docs"
    assert build(corpus, docs, cache_dir=cache, progress=False).ok
    first = snapshot(docs)
    again = build(corpus, docs, cache_dir=cache, progress=False)
    assert again.ok and not again.written and again.phases.keys() == {"unchanged"}  # decided from the record
    assert all(b.cached for b in again.built) and snapshot(docs) == first
    assert {b.meta["id"]: b.cleaned for b in again.built} == {b.meta["id"]: b.cleaned for b in build(
        corpus, tmp_path / "plain" / "docs", progress=False).built}

    page = docs / "documents" / "002-ea8f1b29854c3300.md"  # a generated file touched on disk: rebuilt
    page.write_bytes(page.read_bytes() + b"\n")
    touched = build(corpus, docs, cache_dir=cache, progress=False)
    assert touched.ok and touched.written and "unchanged" not in touched.phases and snapshot(docs) == first

    source = corpus / "002_ea8f1b29854c3300.txt"  # one source changed, one removed
    source.write_bytes(source.read_bytes() + ADDED)
    for path in corpus.glob("003_*"):
        path.unlink()
    changed = build(corpus, docs, cache_dir=cache, progress=False)
    assert changed.ok and changed.written
    whole = tmp_path / "whole" / "docs"
    assert build(corpus, whole, progress=False).ok
    assert snapshot(docs) == snapshot(whole)

    # the model updated from the changed documents has the counts of the model of every document
    last = json.loads((cache / "model" / "last.json").read_text(encoding="utf-8"))
    updated = pickle.loads((cache / "model" / last["model"]).read_bytes())
    sources, _ = discover(corpus)
    full = _corpus_model(build_all(sources, cache, False))
    assert updated.unigrams == full.unigrams and updated.bigrams == full.bigrams
    assert updated.digest == full.digest


def test_a_record_of_another_docs_folder_or_other_sources_is_not_used(corpus, tmp_path):
    cache = tmp_path / "cache"
    one, two = tmp_path / "one" / "docs", tmp_path / "two" / "docs"
    assert build(corpus, one, cache_dir=cache, progress=False).ok
    shutil.copytree(one, two)
    report = build(corpus, two, cache_dir=cache, progress=False)  # same files, but no record of this folder
    assert report.ok and not report.written and "unchanged" not in report.phases
    sidecar = corpus / "002_ea8f1b29854c3300.yml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("潍坊市全力做好", "潍坊市全力做好的"),
                       encoding="utf-8")
    report = build(corpus, one, cache_dir=cache, progress=False)
    assert report.written and [b.meta["id"] for b in report.built if not b.cached] == ["002-ea8f1b29854c3300"]
    assert "潍坊市全力做好的" in (one / "documents" / "002-ea8f1b29854c3300.md").read_text(encoding="utf-8")
