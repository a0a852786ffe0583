"""Text repair: reading annotations, the suspicious-span detector and the 校勘记."""
from __future__ import annotations

import html
import re

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from build_tools.repair import suspicious
from build_tools.repair.annotations import PINYIN_LETTERS
from build_tools.repair.stage import repair
from tests.conftest import ROOT

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


def apparatus_rows(body: str) -> list[str]:
    """The 校勘记's rows (an HTML table) as Markdown-like lines: `| 1 | 删除注音 | (xué) | （删除） | 1.00 | … |`."""
    rows = re.findall(r'<tr id="e\d+">(.*?)</tr>', body)
    return ["| " + " | ".join(html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row)) + " |"
            for row in rows]


def test_no_reading_annotation_remains_in_004(built, pages):
    _, docs = built
    clean = (docs / "data" / "clean" / "004-c74ad4d4a80dbc28.txt").read_text(encoding="utf-8")
    assert not re.findall(f"[\u4e00-\u9fff][（(][{PINYIN_LETTERS}]+[)）]", clean)
    meta, body = pages["004-c74ad4d4a80dbc28"]
    assert "整理本对原文共校改 911 处：删除注音 904 处，字节错位复原 6 处，缺字 1 处" in body
    rows = apparatus_rows(body)
    assert sum("| 删除注音 |" in row for row in rows) == 904
    assert "| 1 | 删除注音 | (xué) | （删除） | 1.00 | 學 的注音 xué |" in rows


def test_no_seed_has_unaccounted_suspicious_spans(built):
    report, docs = built
    for built_doc in report.built:
        assert built_doc.suspicious == [], built_doc.meta["id"]
        clean = (docs / "data" / "clean" / f"{built_doc.meta['id']}.txt").read_text(encoding="utf-8")
        assert suspicious.find(clean) == []


def test_detector_reports_damage_with_context():
    findings = suspicious.find("一、加强领导\n2贝葱履芰Φ玫浇一步提升。挖掘?qū)<覞撃堋7\n")
    rules = {f.rule for f in findings}
    assert {"numbered-paragraph-without-separator", "question-mark-in-cjk", "leftover-pinyin"} <= rules
    assert any("2贝葱履芰Φ" in f.context for f in findings)


def test_straddle_spans_of_004_come_out_whole(built, pages):
    _, docs = built
    clean = (docs / "data" / "clean" / "004-c74ad4d4a80dbc28.txt").read_text(encoding="utf-8")
    assert "听取了当地组织部门领导的有关情况介绍" in clean
    # The site's decoder consumed the byte after an unreadable lead byte (the inserted "(", a digit), so a
    # "?" before punctuation lost a byte too: a lacuna, never a guess.
    assert "挖掘专家潜能。放宽了部分高级专家的退休政策□；允许专业技术人员业余兼职" in clean
    assert "否决事项报告备案制度□、实行重要岗位轮岗交流制" in clean
    assert clean.count("总人口□") == 3 and "总人口□43万人" in clean and "总人口□50万" in clean
    assert "?" not in clean.replace("20**", "")
    body = pages["004-c74ad4d4a80dbc28"][1]
    rows = [line for line in apparatus_rows(body) if "| 字节错位复原 |" in line]
    assert len(rows) == 6
    assert "| ?shù)亟M | 地組 | 0.95 |" in rows[0]
    lacunae = [row for row in rows if "已失，作缺字" in row]
    assert len(lacunae) == 5 and all("（待核）" in row for row in lacunae)
    assert any("| ?shí) | 實 |" in line and "（待核）" in line for line in apparatus_rows(body))


SHIFTED_HEADINGS = {  # 001's fourteen damaged headings and what they must become
    "2贝葱履芰Φ玫浇一步提升": "2．创新能力得到进一步提升",
    "1币在围绕中心": "1．要在围绕中心",
    "1狈务中心服务大局": "1．服务中心服务大局",
    "3敝贫冉ㄉ璧玫浇一步强化": "3．制度建设得到进一步强化",
    "4弊陨斫ㄉ璧玫浇一步加强": "4．自身建设得到进一步加强",
    "1币蕴嵘执政能力为目标": "1．以提升执政能力为目标",
    "2币约し⒏刹慷游榛盍ξ核心": "2．以激发干部队伍活力为核心",
    "3币郧炕牵头抓总职能": "3．以强化牵头抓总职能",
    "4币酝平“强基工程”": "4．以推进“强基工程”",
    "5币怨固和发展先进性": "5．以巩固和发展先进性",
    "6币约忧孔橹部门自身建设": "6．以加强组织部门自身建设",
    "2币在突出重点": "2．要在突出重点",
    "3币在依靠基层": "3．要在依靠基层",
    "4币在立足实际": "4．要在立足实际",
}


def test_fourteen_shifted_headings_of_001_are_restored(built, pages):
    _, docs = built
    raw = (ROOT / "seeds" / "001_b16a05757ca6571f.txt").read_text(encoding="utf-8")
    clean = (docs / "data" / "clean" / "001-b16a05757ca6571f.txt").read_text(encoding="utf-8")
    for damaged, restored in SHIFTED_HEADINGS.items():
        assert damaged in raw
        assert f"\n{restored}" in clean, restored
    body = pages["001-b16a05757ca6571f"][1]
    assert sum("| 字节偏移复原 |" in row for row in apparatus_rows(body)) == 14
    assert "### 2．创新能力得到进一步提升。 { #2创新能力得到进一步提升 }" in without_marks(body)


SPAN = re.compile(r'<span class="(?P<classes>emendation[^"]*)" data-original="(?P<original>[^"]*)" '
                  r'data-number="(?P<number>\d+)"(?: title="(?P<title>[^"]*)")?(?: [a-z-]+="[^"]*")*>(?P<inner>[^<]*)</span>')


def without_marks(markdown: str) -> str:
    return SPAN.sub(lambda m: m.group("inner"), markdown)


def spans(markdown: str) -> list[dict]:
    return [m.groupdict() for m in SPAN.finditer(markdown)]


def test_every_shift_repair_is_marked_inline_with_its_original(pages):
    marks = spans(pages["001-b16a05757ca6571f"][1])
    assert len(marks) == 14
    for mark in marks:
        assert html.unescape(mark["original"]) in "".join(SHIFTED_HEADINGS)  # the mojibake the source has
        assert mark["inner"].startswith("．") and "字节偏移复原" in html.unescape(mark["title"])
    heading = next(m for m in marks if m["inner"].startswith("．创新"))
    assert html.unescape(heading["original"]) == "贝葱履芰Φ玫浇" and heading["inner"] == "．创新能力得到进"


def test_004_marks_straddle_lacuna_and_deleted_readings(pages):
    body = pages["004-c74ad4d4a80dbc28"][1]
    marks = spans(body)
    by_kind = {}
    for mark in marks:
        kind = "deletion" if not mark["inner"] else re.search(r"（(\S+?)[，；]", html.unescape(mark["title"])).group(1)
        by_kind.setdefault(kind, []).append(mark)
    # Every reading annotation outside the (unrendered) title line is an empty span holding the reading.
    assert len(by_kind["deletion"]) >= 900
    assert all(re.fullmatch(r"\([a-z\u00e0-\u00fc\u0100-\u01ff]+\)", html.unescape(m["original"])) for m in by_kind["deletion"])
    straddles = {m["inner"]: html.unescape(m["original"]) for m in by_kind["字节错位复原"]}
    assert straddles["地组"] == "?shù)亟M"
    assert straddles["人口□"] == "?cè)丝?"
    assert "专家潜能。放宽了部分高级专家的退休政策□" in straddles
    lost = by_kind["缺字"]
    assert [m["inner"] for m in lost] == ["实"] and "emendation-review" in lost[0]["classes"]
    assert "待核" in html.unescape(lost[0]["title"])
    # Removing the marks gives back exactly the cleaned text's paragraphs.
    assert "当地组织部门" in without_marks(body) and '<span class="emendation' not in without_marks(body)
    # Mark numbers are the 校勘记's numbers.
    row = re.search(r"^\| (\d+) \| 字节错位复原 \| \?shù\)亟M", "\n".join(apparatus_rows(body)), re.M)
    assert row and any(m["number"] == row.group(1) and m["inner"] == "地组" for m in marks)


def test_marked_text_is_the_cleaned_text_on_every_page(built, pages):
    """Mark positions are mapped through every later step (OpenCC, punctuation): each page's paragraphs,
    marks removed, are paragraphs of its cleaned text."""
    _, docs = built
    for doc_id, (_, body) in pages.items():
        clean = (docs / "data" / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8")
        for line, anchor in re.findall(r"^(.+)\n\{: #(p\d+) \}$", body, re.M):
            text = html.unescape(re.sub(r"\\(.)", r"\1", without_marks(line)))
            assert text in clean, (doc_id, anchor, text[:60])


def test_final_spans_follow_the_corrections_through_later_steps():
    from build_tools.clean.edits import Edit, final_spans, replay
    deletion = Edit("repair", "pinyin-annotation", 1, "(xué)", "", kind="pinyin")
    lacuna = Edit("repair", "gbk-straddle", 3, "?", "□", kind="lacuna")
    steps = [[deletion], [lacuna],
             [Edit("convert", "opencc-t2s", 0, "學習當", "学习当")],  # same length: offsets hold
             [Edit("normalize", "space", 3, "", "  ")],  # inserted at the lacuna's start: stays outside
             [Edit("normalize", "space", 4, " □地", "□地")]]  # a shorter rewrite around it: the span widens
    assert replay("學(xué)習當?地", steps) == "学习当 □地"
    assert final_spans(steps, [deletion, lacuna]) == [(1, 1), (4, 6)]


def kept_byte_damage(text: str, after_byte: int) -> str:
    """The reading-insertion damage read by a decoder that replaces only an unreadable byte and keeps the
    next one (Python's gbk decoder with errors="replace"): the annotation's "(" survives after the "?"."""
    from pypinyin import Style, pinyin
    data = text.encode("gbk")
    char = data[after_byte - 1:after_byte + 1].decode("gbk")
    reading = pinyin(char, style=Style.TONE)[0][0]
    damaged = data[:after_byte + 1] + f"({reading})".encode("gbk") + data[after_byte + 1:]
    return damaged.decode("gbk", errors="replace").replace("\ufffd", "?")


@pytest.mark.parametrize("text, after_byte", [
    ("中心工作会议在市委召开。", 2),  # 中?(xíng)墓ぷ骰嵋樵谑形?召开。
    ("认真做好干部工作", 2),
    ("全市组织工作会议", 4),
])
def test_straddle_damage_read_by_a_decoder_that_kept_the_next_byte_is_repaired(text, after_byte):
    damaged = kept_byte_damage(text, after_byte)
    assert "?(" in damaged
    result = repair(damaged)
    assert result.text == text
    straddles = [e for step in result.steps for e in step if e.rule == "gbk-straddle"]
    assert straddles and "保留其后字节" in straddles[0].note  # the 校勘记 says which decoder the page shows
