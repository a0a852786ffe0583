"""Source metadata: load and validate a sidecar (seeds/<stem>.yml) against rules/metadata.schema.yml,
or infer what a source without one says about itself (title, city, year, genre), marking each
inferred field as inferred."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from .. import vocab
from ..errors import SourceError
from . import dates, places
from . import title as title_mod


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


def infer(stem: str, cleaned: str, detected_script: str, provenance: dict[str, str] | None = None,
          chrome: list[str] | None = None) -> tuple[dict, dict[str, str]]:
    """Metadata read off the cleaned text (and what the page's chrome said: `provenance`), and the
    evidence for each inferred field, in words."""
    paragraphs = [p.strip() for p in cleaned.split("\n\n") if p.strip()]
    evidence: dict[str, str] = {}
    found = title_mod.infer(paragraphs)
    place, subject_places, place_evidence = _infer_place(cleaned, found.text if found else "",
                                                         [*(provenance or {}).values(), *(chrome or [])])
    evidence["place"] = place_evidence
    genre, genre_evidence = _infer_genre(found.text if found else "", cleaned)
    if (genre == "其他" and (provenance or {}).get("posted_at") and not (provenance or {}).get("journal")
            and any(g["label"] == "新闻报道" for g in vocab.genres())):
        # a page posted with a time and no cue of any other genre: a news item of the site
        genre, genre_evidence = "新闻报道", "页面署有发布时间，正文无其他体裁的线索，按网站新闻处理"
    evidence["genre"] = genre_evidence
    if found is None:
        city = place.get("county") or (place["city"] if place["city"] != "不详" else None)
        found = title_mod.supplied(paragraphs, genre, city)
    evidence["title"] = found.evidence
    date = dates.infer(paragraphs, "" if found.supplied else found.text, genre, provenance, found.start)
    evidence["date"] = date["evidence"]
    data = {
        "id": stable_id(stem),
        "title": found.text,
        **({"title_supplied": True} if found.supplied else {}),
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
    order = ("title", "place", "date", "genre")
    return data, {**{k: evidence[k] for k in order}, **{k: v for k, v in evidence.items() if k not in order}}


def _infer_place(text: str, title: str, chrome: list[str]) -> tuple[dict, list[dict], str]:
    """The author's place, the places visited or studied, and the evidence in words (describe/places.py)."""
    return places.infer_place(text, title, chrome)


WHERE_WORDS = {"title": "标题", "text": "正文"}


def _infer_genre(title: str, text: str) -> tuple[str, str]:
    """The genre with most cues met (genres.yml; the first listed wins a tie), and the evidence in words:
    what the title or the text says that met each cue."""
    best, best_score, met = "其他", 0, []
    for genre in vocab.genres():
        hits = []
        for cue in genre["cues"]:
            where = title if cue["where"] == "title" else text
            found = [re.sub(r"\s+", " ", m.group(0).strip()) for m in re.finditer(cue["pattern"], where)]
            if len(found) >= cue["min"]:
                quoted = "、".join(f"“{f}”" for f in dict.fromkeys(found[:3]))
                hits.append(f"{WHERE_WORDS[cue['where']]}见{quoted}" + (f"（共{len(found)}处）" if len(found) > 1 else ""))
        if len(hits) > best_score:
            best, best_score, met = genre["label"], len(hits), hits
    if not met:
        return best, "未见任何体裁线索"
    return best, f"{best}：" + "；".join(met)
