"""Text repair: reading annotations, the suspicious-span detector and the 校勘记."""
from __future__ import annotations

import re

import opencc
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from build_tools import suspicious
from build_tools.repair import PINYIN_LETTERS, repair

# Clean simplified text written for these tests (not taken from the seeds).
CLEAN = ("县委组织部认真总结干部教育培训经验，围绕发展抓党建，选派优秀年轻干部到基层挂职锻炼。"
         "全县共举办各类培训班十二期，培训党员干部三千余人次，群众满意率明显提高。"
         "今后要进一步加强人才工作，完善考核评价机制，营造尊重知识、尊重人才的良好氛围。")
TRADITIONAL = opencc.OpenCC("s2t.json").convert(CLEAN)
HAN = re.compile(r"[\u4e00-\u9fff]")


def annotate(text: str, positions: set[int]) -> str:
    """What the scraping site did: insert the character's reading after some characters."""
    out = []
    for i, char in enumerate(text):
        out.append(char)
        if i in positions and HAN.match(char):
            out.append(f"({pinyin(char, style=Style.TONE)[0][0]})")
    return "".join(out)


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=len(TRADITIONAL) - 1)))
def test_simulated_reading_annotations_are_all_removed_exactly(positions):
    damaged = annotate(TRADITIONAL, positions)
    result = repair(damaged)
    assert result.text == TRADITIONAL
    assert len(result.edits) == sum(1 for i in positions if HAN.match(TRADITIONAL[i]))
    assert all(e.kind == "pinyin" and e.confidence == 1.0 for e in result.edits)


def test_parentheses_that_are_not_readings_survive():
    text = "加入世界貿易組織(WTO)後，試行《條例(試行)》，附件(a)與學(xué)習(xí)，實施細則(xì zé)"
    result = repair(text)
    assert result.text == "加入世界貿易組織(WTO)後，試行《條例(試行)》，附件(a)與學習，實施細則(xì zé)"
    assert [e.before for e in result.edits] == ["(xué)", "(xí)"]


def test_a_reading_that_does_not_match_its_character_is_kept():
    assert repair("組織(xué)").text == "組織(xué)"  # 織 is not read xué


def test_no_reading_annotation_remains_in_004(built, pages):
    _, docs = built
    clean = (docs / "data" / "clean" / "004-c74ad4d4a80dbc28.txt").read_text(encoding="utf-8")
    assert not re.findall(f"[\u4e00-\u9fff][（(][{PINYIN_LETTERS}]+[)）]", clean)
    meta, body = pages["004-c74ad4d4a80dbc28"]
    assert "整理本对原文共校改 908 处：删除注音 904 处，字节错位复原 4 处" in body
    assert body.count("| 删除注音 |") == 904
    assert "| 1 | 删除注音 | (xué) | （删除） | 1.00 | 學 的注音 xué |" in body


def test_clean_seeds_have_no_suspicious_spans(built):
    _, docs = built
    for doc_id in ("000-df4a7801ed8c6299", "002-ea8f1b29854c3300", "003-531a5443262867f5"):
        assert suspicious.find((docs / "data" / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8")) == []


def test_damage_not_yet_repaired_is_reported_with_context(built):
    report, _ = built
    by_id = {b.meta["id"]: b.suspicious for b in report.built}
    shifted = [f for f in by_id["001-b16a05757ca6571f"] if "numbered-paragraph-without-separator" in f]
    assert len(shifted) == 14
    assert any("2贝葱履芰Φ玫浇一" in f for f in shifted)
    straddles = [f for f in by_id["004-c74ad4d4a80dbc28"] if "question-mark-in-cjk" in f]
    assert any("挖掘?qū)" in f for f in straddles)
    assert any(w.endswith(by_id["004-c74ad4d4a80dbc28"][0]) for w in report.warnings)


def test_straddle_damage_is_realigned_and_lost_bytes_are_lacunae(built, pages):
    _, docs = built
    clean = (docs / "data" / "clean" / "004-c74ad4d4a80dbc28.txt").read_text(encoding="utf-8")
    assert "听取了当地组织部门领导的有关情况介绍" in clean
    assert clean.count("总人口□") == 3 and "总人口□43万人" in clean and "总人口□50万" in clean
    assert "?cè" not in clean and "?shù" not in clean
    body = pages["004-c74ad4d4a80dbc28"][1]
    rows = [line for line in body.splitlines() if "| 字节错位复原 |" in line]
    assert len(rows) == 4
    assert "| ?shù)亟M | 地組 | 0.95 |" in rows[0]
    assert all("0.75（待核）" in row and "已失，作缺字" in row for row in rows[1:])


def test_simulated_straddle_is_restored_exactly():
    """Byte-level simulation of the mechanism on text written for the test."""
    original = "聽取了當地組織部門的介紹"
    data = original.encode("gbk")
    pair = "數".encode("gbk")
    at = data.index("當".encode("gbk")) + 1
    assert data[at:at + 2] == pair  # 當's trail byte and 地's lead byte read as 數
    inserted = data[:at] + "數(shù)".encode("gbk") + data[at + 2:]
    # the site's decoder: an invalid pair becomes "?" and both bytes are consumed
    out, i = [], 0
    while i < len(inserted):
        if inserted[i] < 0x80:
            out.append(chr(inserted[i])); i += 1; continue
        try:
            out.append(inserted[i:i + 2].decode("gbk"))
        except UnicodeDecodeError:
            out.append("?")
        i += 2
    damaged = "".join(out)
    assert damaged != original and "?shù)" in damaged
    assert repair(damaged).text == original
