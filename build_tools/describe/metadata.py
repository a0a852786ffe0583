"""Source metadata: load and validate a sidecar (seeds/<stem>.yml) against rules/metadata.schema.yml,
or infer what a source without one says about itself (title, city, year, genre), marking each
inferred field as inferred."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from .. import vocab
from ..errors import SourceError
from . import places, structure

YEAR = re.compile(r"((?:19|20)\d{2})年")


@lru_cache(maxsize=None)
def schema() -> dict:
    data = vocab.load_yaml("metadata.schema.yml")
    data["properties"]["genre"]["enum"] = [g["label"] for g in vocab.genres()]
    return data


def stable_id(stem: str) -> str:
    """The default id of a source: its file name, which never changes once a source is archived."""
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug[:64] or "source"


def load_sidecar(path: Path, raw: bytes) -> dict:
    try:
        data = vocab.load_untrusted_yaml(raw.decode("utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise SourceError(path, f"metadata YAML does not parse{where}: {problem}") from None
    except UnicodeDecodeError:
        raise SourceError(path, "metadata YAML is not UTF-8") from None
    if not isinstance(data, dict):
        raise SourceError(path, "metadata YAML is not a mapping of fields")
    errors = sorted(jsonschema.Draft202012Validator(schema()).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.path) or "(top level)"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        message = error.message if len(error.message) <= 160 else error.message[:160] + "…"
        raise SourceError(path, f"metadata fails the schema at {where}: {message}{more}")
    _check_date(path, data["date"])
    return data


def _check_date(path: Path, date: dict) -> None:
    value, precision = date.get("value"), date["precision"]
    expected = {"day": 10, "month": 7, "year": 4}.get(precision)
    if precision == "unknown" and value:
        raise SourceError(path, "metadata date has a value but precision 'unknown'")
    if expected and (not value or len(value) != expected):
        raise SourceError(path, f"metadata date value {value!r} does not match precision '{precision}'")


def infer(stem: str, cleaned: str, detected_script: str) -> tuple[dict, dict[str, str]]:
    """Metadata read off the cleaned text, and the evidence for each inferred field."""
    paragraphs = [p for p in cleaned.split("\n\n") if p.strip()]
    evidence: dict[str, str] = {}
    first = paragraphs[0].strip() if paragraphs else ""
    if first and structure.is_title_line(first):
        title = first
        evidence["title"] = "正文首行"
    else:
        title = f"未题名文献（{stem}）"
        evidence["title"] = "正文无标题行，以文件名代替"

    place, subject_places, place_evidence = _infer_place(cleaned, title if evidence["title"] == "正文首行" else "")
    evidence["place"] = place_evidence
    years = YEAR.findall(cleaned)
    if years:
        year = Counter(years).most_common(1)[0][0]
        date = {"value": year, "precision": "year", "inferred": True,
                "evidence": f"正文中出现最多的年份“{year}年”（共{years.count(year)}次）"}
    else:
        date = {"value": None, "precision": "unknown", "inferred": True, "evidence": "正文中未见年份"}
    evidence["date"] = date["evidence"]
    genre, genre_evidence = _infer_genre(title, cleaned)
    evidence["genre"] = genre_evidence
    data = {
        "id": stable_id(stem),
        "title": title,
        "genre": genre,
        "issuing_body": "不详",
        "place": place,
        **({"subject_places": subject_places} if subject_places else {}),
        "date": date,
        "script": detected_script if detected_script in ("simplified", "traditional", "mixed") else "simplified",
        "rights": "未经核实：来源与版权情况待补充。",
    }
    evidence["issuing_body"] = "未能从正文判断"
    evidence["script"] = "由字形自动检测"
    evidence["rights"] = "缺少元数据"
    return data, evidence


def _infer_place(text: str, title: str) -> tuple[dict, list[dict], str]:
    """The author's place, the places visited or studied, and the evidence in words (describe/places.py)."""
    return places.infer_place(text, title)


def _infer_genre(title: str, text: str) -> tuple[str, str]:
    best, best_score, met = "其他", 0, []
    for genre in vocab.genres():
        hits = [cue["pattern"] for cue in genre["cues"]
                if len(re.findall(cue["pattern"], title if cue["where"] == "title" else text)) >= cue["min"]]
        if len(hits) > best_score:
            best, best_score, met = genre["label"], len(hits), hits
    if not met:
        return best, "未见任何体裁线索"
    return best, "体裁线索：" + "；".join(met)
