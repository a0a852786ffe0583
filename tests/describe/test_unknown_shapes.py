"""Sources of shapes the seeds do not have (issue 14), on texts written for these tests: hard wraps, page
numbers and digit spacing of extracted PDFs, collapsed paragraph breaks, English text, round-trip
variants, placeholders, truncation, stripped digits; and the `add` command with its 待核清单."""
from __future__ import annotations

import shutil

import pytest
import yaml

from build_tools.add import add
from build_tools.build import build
from build_tools.clean.normalize import normalize
from build_tools.describe.structure import structure
from build_tools.pipeline import process
from build_tools.repair import suspicious
from tests.conftest import SEEDS


def cleaned(text: str, encoding: str = "utf-8") -> str:
    return process(text.encode(encoding), "test.txt").cleaned


def headings(text: str) -> list[str]:
    return [b.text for b in structure(text).blocks if b.kind == "heading"]


def wrap(text: str, width: int) -> str:
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


PARAGRAPHS = ["2015年，县委组织部围绕中心工作，扎实推进基层党建，全县新建党组织44个，发展党员1260名，其中青年党员占六成以上。",
              "全年举办各类培训班18期，培训干部2300人次，组织部分乡镇党委书记赴外地学习考察，开阔了视野，增强了本领。",
              "下一步，我们将继续加强基层组织建设，推动党建工作与经济社会发展深度融合，为全县发展提供坚强保证。"]


def test_a_text_hard_wrapped_at_a_constant_width_is_rejoined_without_spaces_across_digits():
    raw = "关于2015年组织工作的总结\n" + "\n".join(wrap(p, 31) for p in PARAGRAPHS) + "\n"
    text = cleaned(raw)
    assert all(p in text for p in PARAGRAPHS), text
    assert text.count("\n\n") == len(PARAGRAPHS)


def test_pdf_page_numbers_and_digit_spacing_are_removed_and_logged():
    raw = ("在全县组织工作会议上的讲话\n（2011 年 5 月 13 日）\n同志们：\n"
           "建党 90 周年和乡镇党委换届两件大事集中在上半年，全县基层党建工作总体平稳\n— 2 —\n、有序。今年 1-5 月，"
           "4 个乡镇介绍了经验。\n- 3 -\n")
    result = process(raw.encode(), "pdf.txt")
    assert "（2011年5月13日）" in result.cleaned
    assert "建党90周年和乡镇党委换届两件大事集中在上半年，全县基层党建工作总体平稳、有序。今年1-5月，4个乡镇介绍了经验。" in result.cleaned
    assert "— 2 —" not in result.cleaned and "- 3 -" not in result.cleaned
    rules = {edit.rule for step in result.steps for edit in step}
    assert {"page-number", "pdf-digit-spacing"} <= rules


def test_a_run_in_sub_head_keeps_its_space():
    assert normalize("村居基层基础工作整治 2012年11月,工委召开会议").text == "村居基层基础工作整治 2012年11月，工委召开会议\n"


def test_a_speech_collapsed_onto_one_line_gets_its_paragraphs_and_outline_back():
    raw = ("在全县组织工作会议上的讲话 中共某县委常委、组织部长 王某某 （2013年3月1日） 同志们： 这次会议的任务是总结去年工作，"
           "部署今年任务。下面，我讲两点意见。 一、去年工作的回顾 一年来，全县组织工作取得新成效，新建党组织12个。 "
           "二、今年工作的重点 （一）抓好基层组织建设。要逐村分析研判。（二）抓好干部队伍建设。要严格选任程序。 "
           "同志们，让我们开拓进取，做好今年的组织工作！")
    text = cleaned(raw)
    lines = text.split("\n\n")
    assert lines[:5] == ["在全县组织工作会议上的讲话", "中共某县委常委、组织部长 王某某", "（2013年3月1日）", "同志们：",
                         "这次会议的任务是总结去年工作，部署今年任务。下面，我讲两点意见。"]
    assert headings(text)[:2] == ["一、去年工作的回顾", "二、今年工作的重点"]
    assert "一年来，全县组织工作取得新成效，新建党组织12个。" in lines


def test_outline_breaks_lost_after_a_sentence_are_restored_but_a_long_paragraph_keeps_its_enumeration():
    summary = ("某区委组织部2011年工作总结\n\n2011年，区委组织部围绕中心开展工作，取得新成效。一、圆满完成换届。按照统一部署，"
               "顺利完成换届工作，新一届班子平均年龄48岁。二、加强人才工作。引进各类人才41名。\n")
    assert headings(cleaned(summary)) == ["一、圆满完成换届。", "二、加强人才工作。"]
    long = "。".join(["一是加强学习，提高素质", "二是改进作风，服务基层", "三是完善制度，规范管理"] * 6) + "。"
    assert cleaned("题目\n\n" + long).count("\n\n") == 1  # 一是…二是… inside a well-kept paragraph stays


def test_english_text_keeps_its_punctuation_beside_chinese_quotes():
    text = "摘要：本文讨论基层党组织。\n\nAbstract: the party branches,“rebound” quickly (in 2012), and grow.\n"
    assert "Abstract: the party branches,“rebound” quickly (in 2012), and grow." in cleaned(text)


def test_round_trip_variants_are_marked_emendations_in_context_never_a_character_map():
    result = process("加强乾部队伍和人纔工作，形成支橕，提昇能力；乾隆年间的碑记照录。\n".encode(), "v.txt")
    assert result.cleaned.startswith("加强干部队伍和人才工作，形成支撑，提升能力；乾隆年间的碑记照录。")
    variants = [e for step in result.steps for e in step if e.kind == "variant"]
    assert [(e.before, e.after) for e in variants] == [("乾部", "干部"), ("人纔", "人才"), ("支橕", "支撑"), ("提昇", "提升")]


@pytest.mark.parametrize("placeholder", ["XX县", "xx年", "××镇", "20××年", "**村"])
def test_placeholders_are_kept(placeholder):
    assert f"在{placeholder}召开会议。" in cleaned(f"题目\n\n在{placeholder}召开会议。\n")


def test_stripped_digits_are_flagged_never_invented():
    rules = [f.rule for f in suspicious.find("于年三月到八月开展活动，全市共名党员参加。")]
    assert rules == ["digits-lost-before-date", "digits-lost-before-unit"]
    assert suspicious.find("今年三月到八月，2012年3月，去年五月") == []


def test_a_truncated_source_shows_a_lacuna_mark_and_says_so(corpus, tmp_path):
    (corpus / "cut.txt").write_text("关于基层党建的调研报告\n\n一、基本情况\n\n全县共有党组织一千余个，其中农村党组织六百余个，"
                                    "近年来通过整顿软弱涣散", encoding="utf-8")
    docs = tmp_path / "docs"
    assert build(corpus, docs, progress=False, url_lock=None).ok
    page = (docs / "documents" / "cut.md").read_text(encoding="utf-8")
    front = yaml.safe_load(page.split("---\n")[1])
    assert front["truncated"].startswith("末段止于句中")
    assert '<p class="truncation-mark"' in page and "〔下缺〕" in page
    assert "〔下缺〕" not in (docs / "data" / "clean" / "cut.txt").read_text(encoding="utf-8")
    assert "cut.md" in (docs / "review" / "index.md").read_text(encoding="utf-8")


def test_add_copies_byte_for_byte_writes_a_draft_and_lists_it_for_review(corpus, tmp_path, capsys):
    source = tmp_path / "incoming" / "new_speech.txt"
    source.parent.mkdir()
    raw = "在全市组织工作会议上的讲话\n\n同志们：\n\n今年以来，全市组织工作取得新成效。\n".encode("gb18030")
    source.write_bytes(raw)
    assert add([source], corpus) == 0
    assert (corpus / "new_speech.txt").read_bytes() == raw
    draft = yaml.safe_load((corpus / "new_speech.yml").read_text(encoding="utf-8"))
    assert draft["title"] == "在全市组织工作会议上的讲话" and {"title", "genre", "date", "rights"} <= set(draft["inferred"])
    printed = capsys.readouterr().out
    assert "new_speech.yml; to review:" in printed and "title: 在全市组织工作会议上的讲话" in printed
    docs = tmp_path / "docs"
    report = build(corpus, docs, progress=False, url_lock=None, strict=True)
    new_speech = str(corpus / "new_speech")
    assert not [str(e) for e in report.errors if e.path.startswith(new_speech)]  # the draft is a valid sidecar
    report = build(corpus, docs, progress=False, url_lock=None)
    assert report.ok, [str(e) for e in report.errors]
    page = (docs / "documents" / f"{draft['id']}.md").read_text(encoding="utf-8")
    assert "（推断：" in page
    assert f"../documents/{draft['id']}.md" in (docs / "review" / "index.md").read_text(encoding="utf-8")
    assert add([source], corpus) == 1  # never overwritten
    assert "already holds a source named 'new_speech'" in capsys.readouterr().out


def test_the_seeds_review_page_lists_what_is_to_check(tmp_path):
    docs = tmp_path / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    assert build(SEEDS, docs, progress=False).ok
    review = (docs / "review" / "index.md").read_text(encoding="utf-8")
    assert review.startswith("# 待核清单")
    assert "004-c74ad4d4a80dbc28.md" in review and "待核校改" in review  # 004's lacunae and guesses
