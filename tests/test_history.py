"""Versions of the cleaned texts (build_tools/history.py): an erratum changes a text; the build warns that
the new text is unrecorded and keeps the recorded version retrievable; `lock` appends the new version
(never rewriting the old one), and the page, its citations and data/versions/ show both."""
from __future__ import annotations

from datetime import date

import yaml

from build_tools.build import build
from build_tools.publish import history

DOC = "004-c74ad4d4a80dbc28"
ERRATUM = {"errata": [{"original": "這些制度措施非常具體", "correction": "這些制度措施十分具體", "reason": "测试用勘误"}]}


def page(docs):
    return (docs / "documents" / f"{DOC}.md").read_text(encoding="utf-8")


def test_seed_histories_hold_the_current_texts(built):
    report, docs = built
    for item in report.built:
        versions = history.load(item.source.path.parent, item.meta["id"])
        if not versions:
            continue  # a source added since the last `python -m build_tools lock`: no version recorded yet
        entry = history.current(versions, item.cleaned)
        assert entry is not None, item.meta["id"]
        stored = history.text(item.source.path.parent, item.meta["id"], entry["sha256"])
        assert stored == item.cleaned.encode("utf-8")
        assert (docs / "data" / "versions" / item.meta["id"] / f"{entry['sha256']}.txt").read_bytes() == stored


def test_an_erratum_makes_a_new_version_and_the_old_one_stays(corpus, tmp_path):
    docs = tmp_path / "docs"
    before = history.load(corpus, DOC)
    first = before[-1]
    (corpus / "errata").mkdir(exist_ok=True)
    (corpus / "errata" / f"{DOC}.yml").write_text(yaml.safe_dump(ERRATUM, allow_unicode=True), encoding="utf-8")
    report = build(corpus, docs, progress=False)
    assert report.ok, [str(e) for e in report.errors]
    assert any(DOC in w and "python -m build_tools lock" in w for w in report.warnings)
    text = page(docs)
    assert "**版本**：未登记" in text and "未登记版本" in text.split("\n---\n")[0]
    old = docs / "data" / "versions" / DOC / f"{first['sha256']}.txt"
    assert "這些制度措施非常具體".replace("這些", "这些").replace("具體", "具体") in old.read_text(encoding="utf-8")
    history_file = (corpus / "history" / f"{DOC}.yml").read_text(encoding="utf-8")
    # What the maintainer's `lock` does: record the new text as version 2, dated that day; version 1 untouched.
    assert history.append(corpus, DOC, report.built[-1].cleaned if report.built[-1].meta["id"] == DOC else
                          next(b.cleaned for b in report.built if b.meta["id"] == DOC))
    assert not history.append(corpus, DOC, next(b.cleaned for b in report.built if b.meta["id"] == DOC))
    assert build(corpus, docs, progress=False).ok
    after = history.load(corpus, DOC)
    assert after[:-1] == before and after[-1]["number"] == first["number"] + 1
    assert after[-1]["date"] == date.today().isoformat()
    assert (corpus / "history" / f"{DOC}.yml").read_text(encoding="utf-8").startswith(history_file.split("versions:")[0])
    text = page(docs)
    assert f"**版本**：第 {first['number'] + 1} 版" in text
    assert f"data/versions/{DOC}/{first['sha256']}.txt" in text and f"data/versions/{DOC}/{after[-1]['sha256']}.txt" in text
    assert "十分具体" in (docs / "data" / "versions" / DOC / f"{after[-1]['sha256']}.txt").read_text(encoding="utf-8")
    assert old.is_file()
    # A second build is byte-identical (the history is read, the clock never).
    again = tmp_path / "again"
    assert build(corpus, again, progress=False).ok
    assert page(again) == text
