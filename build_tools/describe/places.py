"""Places: the gazetteer (every province-, prefecture- and county-level unit of the PRC, current and
historical since 1981, from rules/divisions.json, plus the hand entries of rules/gazetteer.yml), lookup by
full, short or historical name with parents, and the inference of a document's own place.

A unit is a dict: name, slug, level, path (province first, the unit last), code (GB/T 2260, "" for a hand
entry), short (short names by rule), aliases (hand), and for a historical unit `from`/`until` (the years it
held this name and place), `change` and `successor` (a path).

`infer_place(text, title)` reads, by precedence: the issuing body or signature (中共X县委组织部, 落款 at the
end, 供稿), the speaker line (X县委常委、组织部长), the title (X市委组织部…, X年鉴, X县志), then the mentions
in the text; places after 赴/到/在…考察/学习 are subject places, not the author's. A county-level unit is the
county and its prefecture the city (a district of 重庆 or 天津: the municipality). A historical name is kept
as the text names it (襄樊市 in 2005, with its successor 襄阳市 in the evidence): a scholar cites a document
under the unit that issued it. `我市` alone is unknown, never a guess.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from functools import lru_cache

from .. import vocab

UNKNOWN = {"city": "不详", "province": "不详", "level": "不详"}
HAN = "[\u4e00-\u9fff]"
PREFECTURE_LEVELS = {"地级市", "副省级市", "自治州", "地区", "盟"}
PROVINCE_LEVELS = {"省", "自治区", "直辖市", "特别行政区"}
# Generic names of districts (城区, 郊区, 矿区, 新区) are words too: never matched in running text.
GENERIC = {"城区", "郊区", "矿区", "新区", "市区", "市中区"}
YEAR = re.compile(r"(19[5-9]\d|20[0-3]\d)\s*年")
# The issuing body or its signature: 中共X县委组织部, X市委组织部, 中共X县委员会 …
ORGAN = re.compile(rf"(?:中共|中国共产党)?\s*({HAN}{{2,16}}?)(?:委员会|委)\s*(?:组织部|办公室)")
PARTY = re.compile(rf"(?:中共|中国共产党)\s*({HAN}{{2,16}}?)委员会")
SPEAKER = re.compile(rf"({HAN}{{2,16}}?)委(?:常委|书记|副书记)(?:[、，,]\s*组织部部?长)?")
# A news lead: 莆田网讯, X党建网讯, （大庆日报记者 …）, X日报社.
NEWS = re.compile(rf"({HAN}{{2,8}}?)(?:党建网|新闻网|网)讯|({HAN}{{2,8}}?)(?:日报|晚报)(?:社|记者|讯)")
BOOK = re.compile(rf"^({HAN}{{2,12}}?)(?:年鉴|志)")
# Where a place is visited or studied: 赴X, 到X, 在X…考察, 去X学习, 考察了X.
SUBJECT = re.compile(rf"(?:赴|到|去|前往|走进|考察了?|学习了?|参观了?)((?:{HAN}{{2,8}}?[省市县区州])?{HAN}{{2,8}})")


@lru_cache(maxsize=None)
def units() -> tuple[dict, ...]:
    """Every unit: the data file's, with the hand entries' slug, level and aliases applied, then the hand
    entries the data lacks (a development zone)."""
    data = json.loads((vocab.RULES / "divisions.json").read_text(encoding="utf-8"))
    out = [dict(u, path=tuple(u["path"]), aliases=[]) for u in data["units"]]
    hand = vocab.load_yaml("gazetteer.yml")
    sub_provincial = set(hand.get("sub_provincial", []))
    for unit in out:
        if unit["name"] in sub_provincial and unit["level"] == "地级市" and not unit.get("until"):
            unit["level"] = "副省级市"
    for entry in hand["places"]:
        unit = match_hand(entry, out)
        if unit is None:
            path = tuple(p for p in (entry.get("province"), entry.get("parent")) if p) + (entry["name"],)
            unit = {"code": "", "name": entry["name"], "path": path, "short": [], "aliases": [],
                    "level": entry["level"], "slug": entry["slug"], "hand": True}
            out.append(unit)
        unit["slug"] = entry["slug"]
        unit["aliases"] = list(entry.get("aliases", []))
        if entry.get("level"):
            unit["level"] = entry["level"]
    return tuple(out)


def match_hand(entry: dict, candidates: list[dict]) -> dict | None:
    """The data unit a hand entry of rules/gazetteer.yml names (by name, province and parent), current first."""
    found = [u for u in candidates if u["name"] == entry["name"]
             and entry.get("province", u["path"][0]) == u["path"][0]
             and (not entry.get("parent") or (len(u["path"]) > 1 and u["path"][-2] == entry["parent"]))]
    found.sort(key=lambda u: (bool(u.get("until")), -len(u["path"])))
    return found[0] if found else None


@lru_cache(maxsize=None)
def by_path() -> dict[tuple, dict]:
    return {u["path"]: u for u in units()}


@lru_cache(maxsize=None)
def by_slug() -> dict[str, dict]:
    return {u["slug"]: u for u in units()}


@lru_cache(maxsize=None)
def _names() -> dict[str, tuple[tuple[dict, str], ...]]:
    """Every name a text may use -> the units it may mean, each with how it names them (full, short,
    alias)."""
    found = defaultdict(list)
    for unit in units():
        found[unit["name"]].append((unit, "full"))
        for short in unit["short"]:
            found[short].append((unit, "short"))
        for alias in unit["aliases"]:
            found[alias].append((unit, "alias"))
    return {name: tuple(v) for name, v in found.items() if len(name) >= 2}


@lru_cache(maxsize=None)
def _sizes_by_first() -> dict[str, tuple[int, ...]]:
    """First character of a name -> the lengths of the names it begins, longest first (scan tries only
    those: most characters begin no name)."""
    sizes = defaultdict(set)
    for name in _names():
        sizes[name[0]].add(len(name))
    return {c: tuple(sorted(v, reverse=True)) for c, v in sizes.items()}


@lru_cache(maxsize=1)
def _news_sites() -> tuple[tuple[str, str], ...]:
    """The hand site map of rules/gazetteer.yml (site or paper -> the place it reports from), sorted."""
    return tuple(sorted(vocab.load_yaml("gazetteer.yml").get("sites", {}).items()))


def parent(unit: dict) -> dict | None:
    return by_path().get(unit["path"][:-1]) if len(unit["path"]) > 1 else None


def province_of(unit: dict) -> str:
    return unit["path"][0]


def is_county(unit: dict) -> bool:
    return unit["level"] not in PREFECTURE_LEVELS | PROVINCE_LEVELS


def valid_in(unit: dict, year: int | None) -> bool:
    if year is None:
        return not unit.get("until")
    return unit.get("from", 0) <= year <= unit.get("until", 9999)


def candidates(name: str) -> list[dict]:
    return [u for u, _ in _names().get(name, ())]


def lookup(name: str, parent_name: str | None = None, province: str | None = None, year: int | None = None,
           slot: str | None = None) -> dict | None:
    """The unit a name means: full names before short ones, then under the parent or province given,
    then one that existed in `year` (current ones when no year is given), then the slot's level ("city":
    prefecture or above; "county": county level)."""
    options = _names().get(name, ())
    if not options:
        return None

    def rank(item):
        unit, how = item
        under = parent_name is not None and len(unit["path"]) > 1 and (
            unit["path"][-2] == parent_name or parent_name in (by_path().get(unit["path"][:-1]) or {}).get("short", []))
        return (how != "full", parent_name is not None and not under,
                province is not None and province_of(unit) != province and unit["name"] != province,
                not valid_in(unit, year), bool(unit.get("until")),
                slot == "city" and is_county(unit), slot == "county" and not is_county(unit), unit["code"], unit["path"])
    return min(options, key=rank)[0]


def resolve(place: dict) -> tuple[dict | None, dict | None]:
    """The units a metadata place {city, county, province} names: (city unit, county unit)."""
    city_name, county_name = place.get("city"), place.get("county")
    province = place.get("province")
    city = None
    if city_name and city_name != "不详":
        city = lookup(city_name, province=province if province != city_name else None, slot="city")
    county = None
    if county_name and county_name != city_name:
        county = lookup(county_name, parent_name=city_name, province=province, slot="county")
    elif county_name:
        county = city
    return city, county


def place_of(unit: dict, evidence: str = "") -> dict:
    """The metadata place of a unit: a county-level unit is the county, its prefecture (or municipality)
    the city; a county-level unit directly under a province (仙桃市) is its own city."""
    path, province = unit["path"], province_of(unit)
    out = {"city": unit["name"], "province": province, "level": unit["level"]}
    if is_county(unit) and len(path) > 1 and (parent(unit) or len(path) == 3):
        above = parent(unit)
        if above is None or above["level"] not in ("省", "自治区"):
            out = {"city": path[-2], "county": unit["name"], "province": province, "level": unit["level"]}
    if evidence:
        out["evidence"] = evidence
    return out


def describe(unit: dict) -> str:
    """In words: the unit, its parents, and what became of it (the successor, then today's unit)."""
    words = "".join(unit["path"]) if len(unit["path"]) > 1 else unit["name"]
    return words + (f"（{history(unit)}）" if unit.get("until") else "")


def history(unit: dict) -> str:
    """What became of a historical unit, in words ("" for a current one)."""
    words = ""
    if unit.get("until"):
        words += f"{unit['until']}年{unit.get('change', '撤销')}"
        successor, seen = unit.get("successor"), set()
        if successor:
            words += f"，后继为{''.join(successor[1:]) or successor[0]}"
        while successor and tuple(successor) not in seen:
            seen.add(tuple(successor))
            later = by_path().get(tuple(successor))
            if later is None or not later.get("until") or not later.get("successor"):
                break
            successor = later["successor"]
        if successor and len(seen) > 1:
            words += f"，今{''.join(successor)}"
    return words


# --- reading a text ---------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _words() -> dict:
    import jieba
    jieba.dt.initialize()
    return jieba.dt.FREQ


def _word_before(text: str, i: int) -> bool:
    """Whether the character before `i` and the one at `i` make a word of jieba's dictionary (完成县市区:
    完成, so 成县 is no mention there)."""
    return i > 0 and _words().get(text[i - 1:i + 1], 0) > 0


def scan(text: str, mentions: bool = False) -> list[tuple[int, str]]:
    """Every place name in `text`, longest first at each position, left to right: (offset, name). With
    `mentions` (running text), a two-character name is skipped where its first character ends a word."""
    names, sizes, out, i, end = _names(), _sizes_by_first(), [], 0, len(text)
    while i < end:
        for size in sizes.get(text[i], ()):
            if size > end - i:
                continue
            name = text[i:i + size]
            if name in names and name not in GENERIC and not (mentions and size == 2 and _word_before(text, i)):
                out.append((i, name))
                i += size
                break
        else:
            i += 1
    return out


def chain(phrase: str, year: int | None) -> dict | None:
    """The most specific unit a run of names means (天津市西青区 → 西青区 of 天津; 信宜市镇隆镇 → 信宜市),
    each name read under the one before it."""
    found, above, pos = None, None, 0
    for offset, name in scan(phrase):
        if offset != pos and found is not None:
            break
        unit = lookup(name, parent_name=above["name"] if above else None,
                      province=province_of(above) if above else None, year=year)
        if unit is None or (above is not None and not _under(unit, above)):
            break
        found, above, pos = unit, unit, offset + len(name)
    return found


def _under(unit: dict, above: dict) -> bool:
    return unit["path"][:len(above["path"])] == above["path"] and unit is not above


def _year(text: str) -> int | None:
    years = [int(y) for y in YEAR.findall(text)]
    return max(years) if years else None


def _subject_spans(text: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in SUBJECT.finditer(text)]


def infer_place(text: str, title: str = "", chrome: list[str] = ()) -> tuple[dict, list[dict], str]:
    """(place, subject places, evidence in words) of a document, read off its cleaned text and title, and
    after them off what the page's chrome said (`chrome`: the lines removed as chrome and the provenance
    they gave: a site label 大庆年鉴, a byline's 天津日报)."""
    chrome = [line for line in chrome if line and line.strip()]
    year = _year(text)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    head, tail = lines[:6], lines[-6:]
    found: tuple[dict, str] | None = None

    def first(pattern: re.Pattern, where: list[str], label: str) -> tuple[dict, str] | None:
        for line in where:
            for match in pattern.finditer(line):
                unit = chain(match.group(1), year)
                if unit is not None:
                    return unit, f"{label}“{match.group(0).strip()}”"
        return None

    found = (first(ORGAN, list(reversed(tail)), "落款或供稿") or first(ORGAN, head, "发文机关")
             or first(PARTY, head + tail, "发文机关") or first(SPEAKER, head, "讲话人署名")
             or _from_title(title, year) or _from_title(lines[0] if lines else "", year)
             or first(ORGAN, lines, "正文中的组织部") or first(SPEAKER, lines, "正文中的职务")
             or _from_news(head, year)
             or first(ORGAN, chrome, "页面标注的发布机构") or first(PARTY, chrome, "页面标注的发布机构")
             or next(filter(None, (_from_title(line, year) for line in chrome)), None)
             or _from_news([f"{line}讯" for line in chrome], year))
    subjects = _subjects(text, year)
    if found is None:
        found = _from_mentions(text, year, {u["path"] for u in subjects})
    if found is None:
        local = "、".join(sorted(set(re.findall(r"(?:我|本|全)[省市县区州]", text)))) or "无"
        return dict(UNKNOWN, evidence=f"正文未点出本地地名（本地自称：{local}），不作推测"), [], \
            f"正文未点出本地地名（本地自称：{local}），不作推测"
    unit, evidence = found
    if not any(name in evidence for name in unit["path"][:-1]):
        settled, note = disambiguate(unit, text)
        if settled is None:
            return dict(UNKNOWN, evidence=f"{evidence}：{note}，不作推测"), [], f"{evidence}：{note}，不作推测"
        unit, evidence = settled, evidence + note
    words = f"{evidence}，即{describe(unit)}"
    place = place_of(unit, words)
    own = {unit["path"]} | {unit["path"][:n] for n in range(1, len(unit["path"]))}
    subject_places = []
    for subject in subjects:
        if subject["path"] in own or _under(subject, unit) or subject["level"] in PROVINCE_LEVELS - {"直辖市"}:
            continue
        entry = place_of(subject)
        entry.pop("county", None) if entry.get("county") == entry["city"] else None
        if entry not in subject_places:
            subject_places.append(entry)
    return place, subject_places, words


def _from_news(head: list[str], year: int | None) -> tuple[dict, str] | None:
    """The news site or paper that reports (莆田网讯, 大庆日报记者; 汉网 through the hand site map)."""
    for line in head:
        for site, name in _news_sites():
            if re.search(rf"{re.escape(site)}(?:消息|讯)", line):
                unit = lookup(name, year=year)
                if unit is not None:
                    return unit, f"新闻来源“{site}”（地名词表的网站表）"
        for match in NEWS.finditer(line):
            unit = chain(match.group(1) or match.group(2), year)
            if unit is not None:
                return unit, f"新闻来源“{match.group(0)}”"
    return None


def disambiguate(unit: dict, text: str) -> tuple[dict | None, str]:
    """A unit whose name other current units share (鼓楼区 ×4), found without a parent: the one whose
    townships the text names; none when the text names none."""
    same = [u for u in units() if u["name"] == unit["name"] and not u.get("until") and is_county(u) == is_county(unit)]
    if len(same) < 2:
        return unit, ""
    hits = {u["path"]: [t for t in u.get("townships", []) if t in text] for u in same}
    best = max(same, key=lambda u: (len(hits[u["path"]]), u["path"]))
    named = "、".join("".join(u["path"][-2:]) for u in same)
    if not hits[best["path"]] or sum(1 for u in same if hits[u["path"]]) > 1:
        return None, f"“{unit['name']}”有{len(same)}处（{named}），正文未点出所属"
    return best, f"；同名者{len(same)}处，正文提到的“{'、'.join(hits[best['path']])}”属{''.join(best['path'][-2:])}"


def _from_title(title: str, year: int | None) -> tuple[dict, str] | None:
    title = re.sub(r"^(?:中共|中国共产党)\s*", "", title.strip())
    match = BOOK.match(title)
    if match and chain(match.group(1), year):
        return chain(match.group(1), year), f"书名“{match.group(0)}”"
    names = scan(title)
    if names and names[0][0] == 0:
        unit = chain(title[:40], year)
        if unit is not None:
            return unit, f"标题“{title[:30]}”"
    return None


def _subjects(text: str, year: int | None) -> list[dict]:
    out = []
    for match in SUBJECT.finditer(text):
        unit = chain(match.group(1), year)
        if unit is not None and unit not in out:
            out.append(unit)
    return out


def _from_mentions(text: str, year: int | None, subjects: set) -> tuple[dict, str] | None:
    """The unit most mentioned outside subject contexts (full names count 2, short names of prefectures
    and provinces 1; a county's mentions also count for its prefecture)."""
    spans = _subject_spans(text)
    counts: Counter = Counter()
    seen: dict[tuple, dict] = {}
    for offset, name in scan(text, mentions=True):
        if any(start <= offset < end for start, end in spans):
            continue
        options = _names()[name]
        full = any(how == "full" for _, how in options)
        unit = lookup(name, year=year)
        if unit is None or (not full and is_county(unit)):
            continue
        seen[unit["path"]] = unit
        counts[unit["path"]] += 2 if full else 1
    if not counts:
        return None
    totals: Counter = Counter()
    for path, count in counts.items():
        unit = seen[path]
        top = unit if not is_county(unit) else (parent(unit) or unit)
        if top["level"] in PROVINCE_LEVELS - {"直辖市"}:
            continue
        seen[top["path"]] = top
        totals[top["path"]] += count
    if not totals:
        return None
    best = max(totals, key=lambda p: (totals[p], p))
    top = seen[best]
    counties = [(counts[p], p) for p in counts if p[:-1] == best and is_county(seen[p])]
    city_voice = len(re.findall(r"[全我本]市|市委", text)) > len(re.findall(r"[全我本][县区旗]|[县区旗]委", text))
    if counties and not city_voice:
        count, path = max(counties)
        if count >= 2 and count >= counts.get(best, 0):
            return seen[path], f"正文提及最多的地方“{path[-1]}”（计{count}分，全名2分、简称1分）"
    return top, f"正文提及最多的地方“{top['name']}”（计{totals[best]}分，全名2分、简称1分）"
