"""Page chrome by class (clean/boilerplate.py, rules/boilerplate.yml): whole lines, in the head or the
tail or by their whole shape; what chrome says moves into provenance; the body is never cut."""
from __future__ import annotations

from build_tools.clean import boilerplate
from build_tools.describe import dates
from build_tools.describe.metadata import infer
from build_tools.describe.structure import structure


def strip(text):
    result, provenance = boilerplate.strip(text)
    removed = {e.before.strip(): e.rule for e in result.edits}
    from build_tools.clean.edits import apply_edits
    return apply_edits(text, result.edits), removed, provenance


def test_traditional_chrome_with_reading_annotations_is_recognised():
    text = ("首頁(yè) > 通知公告\n時(shí)間：2012-05-10 來(lái)源：市委組織部 瀏覽次數(shù)：1032\n"
            "關(guān)于開(kāi)展活動的通知\n各縣委組織部：\n現(xiàn)將有關(guān)事項(xiàng)通知如下。\n【打印】【關(guān)閉】\n")
    cleaned, removed, provenance = strip(text)
    assert removed["首頁(yè) > 通知公告"] == "breadcrumb"
    assert removed["時(shí)間：2012-05-10 來(lái)源：市委組織部 瀏覽次數(shù)：1032"] == "byline"
    assert removed["【打印】【關(guān)閉】"] == "page-buttons"
    assert provenance == {"posted_at": "2012-05-10", "source_site": "市委组织部"}
    assert cleaned.startswith("關(guān)于開(kāi)展活動的通知\n")


def test_editor_line_in_brackets_is_chrome_not_a_heading():
    text = "某某工作总结\n一年来，工作取得新成效。\n【责任编辑：李四】\n全年共培训干部120人。\n"
    cleaned, removed, provenance = strip(text)
    assert removed == {"【责任编辑：李四】": "editor-bracketed"} and provenance == {"editor": "李四"}
    headings = [b.text for b in structure(cleaned.replace("\n", "\n\n")).blocks if b.kind == "heading"]
    assert "责任编辑：李四" not in headings


def test_a_body_ending_in_a_bulleted_list_is_not_cut():
    text = "工作要点\n今年重点抓好三件事。\n· 加强班子建设\n· 加强队伍建设\n"
    cleaned, removed, _ = strip(text)
    assert removed == {} and cleaned == text


def test_related_list_after_its_header_goes():
    text = ("会议召开\n9月7日，全区召开会议。\n相关新闻\n· 某区举办培训班\n"
            "某区商务楼宇党建联盟成立　2017-07-13\n【打印本页】【关闭窗口】\n")
    cleaned, removed, _ = strip(text)
    assert cleaned == "会议召开\n9月7日，全区召开会议。\n"
    assert set(removed.values()) == {"related-list", "list-item", "page-buttons"}


def test_a_head_body_line_with_a_date_label_is_not_a_byline():
    text = "关于开展活动的通知\n时间：2012年5月至10月，全市开展活动。\n"
    cleaned, removed, _ = strip(text)
    assert removed == {}


def test_posting_time_is_provenance_never_the_date():
    meta, evidence = infer("x", "在会上的讲话\n\n同志们：\n\n今天我们开会。\n", "simplified",
                           {"posted_at": "2016/3/29"})
    assert meta["date"]["precision"] == "unknown" and meta["date"]["value"] is None


def test_dates_by_precedence_and_shape():
    def date(text, title="", genre="讲话", provenance=None):
        return dates.infer(text.split("\n\n"), title, genre, provenance or {})
    found = date("讲话\n\n（2011 年 5 月 13 日）\n\n同志们：", "讲话")
    assert (found["value"], found["precision"]) == ("2011-05-13", "day")
    found = date("总结\n\n正文2008年。\n\n中共某县委组织部\n\n二〇〇九年十二月二十日", "总结", "工作总结")
    assert (found["value"], found["precision"]) == ("2009-12-20", "day") and "落款" in found["evidence"]
    found = date("规划\n\n到2018年，2013—2017年。《2011年规划》。", "2013—2017年规划", "文件")
    assert found["precision"] == "unknown"
    found = date("某文\n\n本文刊于2011年第5期。", "某文", "其他")
    assert found["precision"] == "unknown"
    found = date("会议召开\n\n本报讯 3月1日，全市召开会议。", "会议召开", "新闻报道",
                 {"issue_date": "2019年3月2日"})
    assert (found["value"], found["precision"]) == ("2019-03-01", "day")


def test_genre_evidence_is_words_from_the_page():
    meta, evidence = infer("x", "组织部副部长述职报告\n\n各位领导、同志们：\n\n现将一年来的工作述职如下：\n", "simplified")
    assert meta["genre"] == "述职报告"
    assert evidence["genre"] == "述职报告：标题见“述职”；正文见“述职如下”"


def test_text_without_title_gets_a_supplied_title():
    meta, evidence = infer("fragment_name", "（二）加强村级后备干部队伍建设。各乡镇要建立人才库。\n\n三、保障措施\n", "simplified")
    assert meta["title"].startswith("〔") and meta["title"].endswith("〕") and meta["title_supplied"] is True
    assert "fragment" not in meta["title"]
