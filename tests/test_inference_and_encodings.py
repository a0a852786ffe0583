"""Sources without metadata, sources in other encodings, and the normalize rules on their own."""
from __future__ import annotations


import pytest
import yaml

from build_tools.build import build, summary
from build_tools.normalize import normalize

from .conftest import SEEDS


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
    assert meta["place"] == {"city": "诸暨市", "province": "浙江省", "level": "县级市"}
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
    # every seed has metadata and every damaged span is repaired, so the seeds pass a strict build
    assert build(SEEDS, tmp_path / "docs2", progress=False, strict=True).ok


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8 (BOM)"), ("utf-16", "utf-16 (BOM)"),
    ("gb18030", "gb18030"), ("gbk", "gb18030")])
def test_encodings_decode_to_the_same_cleaned_text(corpus, tmp_path, encoding, expected):
    """The same seed, stored in another encoding, gives the same cleaned text and records the encoding."""
    raw = (SEEDS / "003_531a5443262867f5.txt").read_text(encoding="utf-8")
    reference = build(SEEDS, tmp_path / "ref", progress=False)
    clean = {b.meta["id"]: b.cleaned for b in reference.built}["003-531a5443262867f5"]
    (corpus / "003_531a5443262867f5.txt").write_bytes(raw.replace("\n", "\r\n").encode(encoding))
    report = build(corpus, tmp_path / "docs", progress=False)
    assert report.ok
    item = {b.meta["id"]: b for b in report.built}["003-531a5443262867f5"]
    assert item.encoding == expected
    assert item.cleaned == clean


def test_big5_source_is_detected_and_converted(corpus, tmp_path):
    text = "浙江三市學習考察報告\n\n市委組織部有關同志就幹部教育培訓工作到寧波市、溫州市進行學習考察,聽取了情況介紹。\n"
    (corpus / "big5_source.txt").write_bytes(text.encode("big5"))
    report = build(corpus, tmp_path / "docs", progress=False)
    assert report.ok, [str(e) for e in report.errors]
    item = next(b for b in report.built if b.source.path.name == "big5_source.txt")
    assert item.encoding == "big5"
    assert item.script["script"] == "traditional"
    assert "市委组织部有关同志就干部教育培训工作到宁波市、温州市进行学习考察，听取了情况介绍。" in item.cleaned


@pytest.mark.parametrize("raw, clean", [
    ("2004年,全市共1.4万人次,增长12.8%。", "2004年，全市共1.4万人次，增长12.8%。"),
    ("按1,000元:3:2的比例;5‰~ 8‰", "按1,000元：3:2的比例；5‰~ 8‰"),
    ("同志们:\n\n见 http://a.cn/x?a=1,2;b=3 网站", "同志们：\n\n见 http://a.cn/x?a=1,2;b=3 网站"),
    ("加入WTO, 对外开放(试行)与(WTO)", "加入WTO，对外开放（试行）与（WTO）"),
    ("English words, colons: and (parens) stay", "English words, colons: and (parens) stay"),
    ("要求高、责任大。 让我们 “两委” 干部、 认清", "要求高、责任大。让我们“两委”干部、认清"),
    ("　　首段。　　——第二段。\n\n\n   第三段 ", "首段。\n\n——第二段。\n\n第三段"),
    ("村居基层基础工作整治 2012年11月,工委召开", "村居基层基础工作整治 2012年11月，工委召开"),
])
def test_normalize_rules(raw, clean):
    assert normalize(raw).text == clean + "\n"


def test_hard_wrapped_lines_are_joined():
    sentence = "全市组织部门立足于充分发挥职能作用进一步解放思想开拓创新狠抓落实各项工作取得了新的进展群众满意率不断提高" * 3
    wrapped = "\n".join(sentence[i:i + 20] for i in range(0, 100, 20)) + "。\n\n下一段。"
    assert normalize(wrapped).text == sentence[:100] + "。\n\n下一段。\n"
