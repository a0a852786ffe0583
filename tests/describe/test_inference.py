"""Sources without metadata: inferred fields, a strict build, a Big5 source without a sidecar."""
from __future__ import annotations

import shutil

import yaml

from build_tools.build import build, summary

from ..conftest import SEEDS


def write_source_without_metadata(seeds, name="new_source.txt", encoding="utf-8"):
    """A new source of a shape the seeds do not have: a report on a county, with footer noise."""
    text = ("关于加强农村党员冬训工作的总结\n\n"
            "2015年冬春，诸暨市委组织部组织全市农村党员开展冬训,参训党员3.2万人次。\n\n"
            "一、主要做法\n\n"
            "诸暨市坚持分层分类培训,取得了新的成效。\n\n"
            "分享到: 微信 微博\n")
    (seeds / name).write_bytes(text.encode(encoding))
    return name


def test_source_without_metadata_builds_with_inferred_fields_marked(corpus, tmp_path):
    write_source_without_metadata(corpus)
    docs = tmp_path / "docs"
    report = build(corpus, docs, progress=False)
    assert report.ok, [str(e) for e in report.errors]
    page = (docs / "documents" / "new-source.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(page.split("---\n")[1])
    assert meta["title"] == "关于加强农村党员冬训工作的总结"
    # a county-level city is the county, its prefecture the city (issue 14)
    assert {k: v for k, v in meta["place"].items() if k != "evidence"} == {
        "city": "绍兴市", "county": "诸暨市", "province": "浙江省", "level": "县级市"}
    assert "诸暨市委组织部" in meta["place"]["evidence"]
    assert meta["date"] == {"value": "2015", "precision": "year", "inferred": True,
                            "evidence": "正文中出现最多的年份“2015年”（共1次）"}
    assert meta["genre"] == "工作总结"
    assert set(meta["inferred"]) >= {"title", "place", "date", "genre"}
    assert "（推断：" in page and "| 日期 | 2015年（精确到年）（推断：" in page
    assert "分享到" not in page
    printed = summary(report)
    assert "new_source.txt: inferred title" in printed and "date: 正文中出现最多的年份" in printed


def test_strict_build_fails_on_missing_metadata(corpus, tmp_path):
    write_source_without_metadata(corpus)
    report = build(corpus, tmp_path / "docs", progress=False, strict=True)
    assert f"{corpus / 'new_source.txt'}: no metadata file (strict build): add seeds/new_source.yml" in [
        str(e) for e in report.errors]
    # every source with metadata has every damaged span repaired, so those pass a strict build
    described = tmp_path / "described"
    shutil.copytree(SEEDS, described, ignore=lambda d, names: [
        n for n in names if d == str(SEEDS) and n.endswith(".txt") and not (SEEDS / f"{n[:-4]}.yml").exists()])
    assert build(described, tmp_path / "docs2", progress=False, strict=True).ok


def test_big5_source_is_detected_and_converted(corpus, tmp_path):
    text = "浙江三市學習考察報告\n\n市委組織部有關同志就幹部教育培訓工作到寧波市、溫州市進行學習考察,聽取了情況介紹。\n"
    (corpus / "big5_source.txt").write_bytes(text.encode("big5"))
    report = build(corpus, tmp_path / "docs", progress=False)
    assert report.ok, [str(e) for e in report.errors]
    item = next(b for b in report.built if b.source.path.name == "big5_source.txt")
    assert item.encoding == "big5"
    assert item.script["script"] == "traditional"
    assert "市委组织部有关同志就干部教育培训工作到宁波市、温州市进行学习考察，听取了情况介绍。" in item.cleaned
