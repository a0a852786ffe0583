"""Places: the gazetteer from rules/divisions.json and rules/gazetteer.yml, lookup, and the inference of a
document's place on the 55 shape fixtures and on the traps of SHAPES.md §5 (texts written for these tests)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_tools import gazetteer
from build_tools.describe import places
from build_tools.publish.page import format_place
from build_tools.publish.urls import LOCK_FILE

SHAPES = Path(__file__).resolve().parent.parent / "fixtures" / "shapes"


def infer(text: str, title: str = ""):
    return places.infer_place(text, title)


# --- the gazetteer ---------------------------------------------------------------------------------

def test_every_unit_has_a_unique_slug_and_its_parents():
    slugs = [u["slug"] for u in places.units()]
    assert len(slugs) == len(set(slugs))
    assert all(s and s.replace("-", "").isalnum() and s.isascii() and s == s.lower() for s in slugs)
    for unit in places.units():
        if len(unit["path"]) > 1 and not unit.get("hand"):
            assert unit["path"][0] in {u["name"] for u in places.units() if len(u["path"]) == 1}


def test_published_city_slugs_keep_their_place():
    """Every cities/<slug>/ in the URL lock still names a place of the gazetteer."""
    locked = {line.split("/")[1] for line in LOCK_FILE.read_text(encoding="utf-8").split()
              if line.startswith("cities/") and line.count("/") == 2 and line != "cities/"}
    assert locked and locked <= set(places.by_slug())
    assert places.by_slug()["shaoxing-county"]["name"] == "绍兴县"
    assert places.by_slug()["weihai-etdz"]["path"] == ("山东省", "威海市", "威海经济技术开发区")
    assert places.by_slug()["shaanxi"]["name"] == "陕西省" and places.by_slug()["shanxi"]["name"] == "山西省"


def test_lookup_by_full_short_and_historical_name():
    assert places.lookup("大庆")["path"] == ("黑龙江省", "大庆市")
    assert places.lookup("海西州")["name"] == "海西蒙古族藏族自治州"
    assert places.lookup("迪庆州")["name"] == "迪庆藏族自治州"
    xiangfan = places.lookup("襄樊市")
    assert xiangfan["until"] == 2010 and xiangfan["successor"] == ["湖北省", "襄阳市"]
    assert places.lookup("巢湖市", year=2005)["level"] == "地级市"
    assert places.lookup("巢湖市", year=2015)["path"] == ("安徽省", "合肥市", "巢湖市")
    assert places.lookup("莱芜市", year=2008)["path"] == ("山东省", "莱芜市")
    assert places.lookup("海门县")["until"] == 1994
    assert places.lookup("鼓楼区", parent_name="福州市")["path"] == ("福建省", "福州市", "鼓楼区")


def test_short_names_by_rule():
    assert gazetteer.short_names("海西蒙古族藏族自治州") == ["海西州", "海西"]
    assert gazetteer.short_names("峨边彝族自治县") == ["峨边县", "峨边"]
    assert gazetteer.short_names("广西壮族自治区") == ["广西"]
    assert gazetteer.short_names("内蒙古自治区") == ["内蒙古"] and gazetteer.short_names("西藏自治区") == ["西藏"]
    assert gazetteer.short_names("东平县") == ["东平"]
    assert gazetteer.short_names("磁县") == []
    assert gazetteer.short_names("万柏林区") == ["万柏林"]
    assert gazetteer.short_names("神农架林区") == ["神农架"]


def test_slugs_do_not_depend_on_the_order_of_units():
    def units():
        return [{"code": c, "name": n, "level": lv, "path": p, "short": gazetteer.short_names(n)} for c, n, lv, p in [
            ("350100", "福州市", "地级市", ["福建省", "福州市"]), ("350102", "鼓楼区", "区", ["福建省", "福州市", "鼓楼区"]),
            ("320100", "南京市", "副省级市", ["江苏省", "南京市"]), ("320106", "鼓楼区", "区", ["江苏省", "南京市", "鼓楼区"]),
            ("220000", "吉林省", "省", ["吉林省"]), ("220200", "吉林市", "地级市", ["吉林省", "吉林市"])]]
    forward, backward = units(), units()[::-1]
    gazetteer.derive_slugs(forward, set())
    gazetteer.derive_slugs(backward, set())
    assert {u["code"]: u["slug"] for u in forward} == {u["code"]: u["slug"] for u in backward}
    slugs = {u["code"]: u["slug"] for u in forward}
    assert slugs["350102"] == "fuzhou-gulou" and slugs["320106"] == "nanjing-gulou"
    assert slugs["220000"] == "jilin" and slugs["220200"] == "jilin-jilin"


def test_the_data_file_is_sorted_and_one_unit_a_line():
    lines = (places.vocab.RULES / "divisions.json").read_text(encoding="utf-8").split("\n")
    units = [json.loads(line.rstrip(",")) for line in lines if line.startswith('{"')]
    assert [(u["code"], u["path"]) for u in units] == sorted((u["code"], u["path"]) for u in units)


# --- the traps ---------------------------------------------------------------------------------------

def test_a_county_sits_under_its_prefecture():
    place, _, evidence = infer("年度工作总结\n\n今年，全县抓基层党建……\n\n中共东平县委组织部\n2016年1月8日")
    assert (place["city"], place["county"], place["province"]) == ("泰安市", "东平县", "山东省")
    assert "中共东平县委组织部" in evidence and "落款" in evidence


def test_the_speaker_line_names_the_place():
    place, _, evidence = infer("在全县组织工作会议上的讲话\n\n仙游县委常委、组织部部长　某某\n\n同志们：……")
    assert (place["city"], place.get("county")) == ("莆田市", "仙游县")
    assert "讲话人" in evidence


def test_places_visited_are_subjects_not_the_author():
    text = ("关于赴浙江学习考察的报告\n\n市委组织部：\n\n我们一行赴杭州、到宁波市考察学习，宁波市的做法、宁波的经验、"
            "杭州的经验值得借鉴。宁波市推行……宁波市还……\n\n中共邯郸市委组织部\n2009年5月6日")
    place, subjects, _ = infer(text)
    assert place["city"] == "邯郸市"
    assert "宁波市" in [s["city"] for s in subjects]
    assert all(s["city"] != "邯郸市" for s in subjects)


def test_a_district_of_tianjin_is_not_a_province():
    place, _, _ = infer("2011年工作总结\n\n区委组织部全年……\n\n天津市河北区委组织部")
    assert (place["city"], place["county"], place["province"]) == ("天津市", "河北区", "天津市")
    place, _, _ = infer("河北区组织工作\n\n2011年，全区……", "河北区组织工作")
    assert place["province"] != "河北省"


def test_jilin_city_is_not_jilin_province():
    place, _, _ = infer("考察报告\n\n……\n\n中共吉林市委组织部\n2013年10月28日")
    assert (place["city"], place["province"], place["level"]) == ("吉林市", "吉林省", "地级市")


def test_a_name_four_cities_share_is_not_guessed():
    text = "鼓楼区召开党建工作推进会\n\n鼓楼区委组织部召开会议，区委常委、组织部部长出席。"
    place, _, evidence = infer(text, "鼓楼区召开党建工作推进会")
    assert place["city"] == "不详" and "4处" in evidence
    place, _, evidence = infer(text + "东街街道、温泉街道作交流发言。", "鼓楼区召开党建工作推进会")
    assert (place["city"], place["county"]) == ("福州市", "鼓楼区") and "东街街道" in evidence


def test_our_city_alone_is_unknown():
    place, subjects, evidence = infer("我市组织工作要点\n\n今年，我市要抓好全市基层党建，市委组织部……")
    assert place["city"] == "不详" and place["province"] == "不详" and subjects == []
    assert "不作推测" in evidence
    assert format_place(place) == "不详"


def test_short_forms_of_autonomous_prefectures():
    place, _, _ = infer("海西州年鉴2014\n\n组织工作\n\n【概况】2013年，州委组织部……", "海西州年鉴2014")
    assert (place["city"], place["province"], place["level"]) == ("海西蒙古族藏族自治州", "青海省", "自治州")
    place, _, _ = infer("2011年，县委组织部……\n\n（中共德钦县委组织部供稿）")
    assert (place["city"], place["county"]) == ("迪庆藏族自治州", "德钦县")


def test_a_county_level_city_takes_the_county_slot():
    place, _, _ = infer("实施意见\n\n……\n\n中共信宜市委组织部\n2014年1月6日")
    assert (place["city"], place["county"], place["level"]) == ("茂名市", "信宜市", "县级市")


def test_historical_names_are_kept_as_named_with_their_successor():
    place, _, evidence = infer("组织工作\n\n2005年，全市……\n\n（中共襄樊市委组织部供稿）")
    assert (place["city"], place["province"]) == ("襄樊市", "湖北省")
    assert "2010年更名" in evidence and "襄阳市" in evidence
    place, _, evidence = infer("组织工作\n\n2005年，全市……居巢区、庐江县……\n\n（中共巢湖市委组织部）")
    assert (place["city"], place.get("county"), place["level"]) == ("巢湖市", None, "地级市")
    assert "2011年撤销" in evidence


def test_a_word_is_not_a_place():
    """完成县市区: 成县 (甘肃) is no mention there."""
    assert "chengxian" not in __import__("build_tools.describe.classify", fromlist=["x"]).places_in(
        "全面完成县市区党委换届工作。")


@pytest.mark.parametrize("place, shown", [
    ({"city": "不详", "province": "不详", "level": "不详"}, "不详"),
    ({"city": "泰安市", "county": "东平县", "province": "山东省", "level": "县"}, "东平县，泰安市（山东省，县）"),
])
def test_format_place(place, shown):
    assert format_place(place) == shown
