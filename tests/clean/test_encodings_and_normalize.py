"""Sources in other encodings, and the normalize rules on their own."""
from __future__ import annotations

import pytest

from build_tools.build import build
from build_tools.clean.normalize import normalize

from ..conftest import SEEDS


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
