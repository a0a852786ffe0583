"""Versions of each document's cleaned text, kept with the sources: seeds/history/<id>.yml lists every
version (`sha256` of the cleaned text, `date` of its first appearance, `number`), oldest first, and
seeds/history/<id>/<sha256>.txt holds that version's text, so every earlier version stays retrievable
(published as data/versions/<id>/<sha256>.txt) whatever the code or the errata become.

Only `python -m build_tools lock` (a maintainer's command) appends a version, dated that day: the build
itself never reads the clock, so it stays deterministic. A build whose cleaned text is not in the history
warns and shows the text as unrecorded (未登记); nothing in a history is ever rewritten or removed.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import yaml

HISTORY_DIR = "history"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(seeds: Path, doc_id: str) -> list[dict]:
    path = seeds / HISTORY_DIR / f"{doc_id}.yml"
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get("versions") or [])


def text(seeds: Path, doc_id: str, digest: str) -> bytes | None:
    path = seeds / HISTORY_DIR / doc_id / f"{digest}.txt"
    return path.read_bytes() if path.is_file() else None


def label(entry: dict) -> str:
    return f"第 {entry['number']} 版（{entry['date']}，SHA-256 {entry['sha256'][:12]}）"


def current(versions: list[dict], cleaned: str) -> dict | None:
    digest = sha(cleaned)
    return next((v for v in versions if v["sha256"] == digest), None)


def citation_version(versions: list[dict], cleaned: str) -> dict:
    """What the citations name: the recorded version of this text, else that it is unrecorded."""
    entry = current(versions, cleaned)
    if entry is None:
        return {"label": f"未登记版本（SHA-256 {sha(cleaned)[:12]}）", "sha256": sha(cleaned)}
    return {"label": label(entry), "date": str(entry["date"]), "number": entry["number"], "sha256": entry["sha256"]}


def append(seeds: Path, doc_id: str, cleaned: str, today: date | None = None) -> bool:
    """Record the cleaned text as a new version if its hash is new (lock only). Returns whether it did."""
    versions = load(seeds, doc_id)
    digest = sha(cleaned)
    if any(v["sha256"] == digest for v in versions):
        return False
    folder = seeds / HISTORY_DIR / doc_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{digest}.txt").write_text(cleaned, encoding="utf-8")
    versions.append({"number": len(versions) + 1, "sha256": digest, "date": (today or date.today()).isoformat()})
    head = ("# Versions of the cleaned text of this document, oldest first. Appended by `python -m build_tools\n"
            "# lock`; never edit or remove an entry. The text of each is history/<id>/<sha256>.txt.\n")
    path = seeds / HISTORY_DIR / f"{doc_id}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump({"id": doc_id, "versions": [{k: str(v[k]) if k == "date" else v[k] for k in
                                                      ("number", "sha256", "date")} for v in versions]},
                          allow_unicode=True, sort_keys=False)
    path.write_text(head + body, encoding="utf-8")
    return True


def markdown(doc_id: str, versions: list[dict], cleaned: str) -> str:
    """The version lines of 来源与校验: this text's version and the list of every version with its text."""
    entry = current(versions, cleaned)
    if entry is None:
        lines = [f"**版本**：未登记（整理本 SHA-256 `{sha(cleaned)[:12]}` 尚未由 `python -m build_tools lock` "
                 "记入版本史；引用时请注明访问日期）。"]
    else:
        lines = [f"**版本**：{label(entry)}，自 {entry['date']} 起。"]
    if versions:
        lines += ["", "版本史（每一版的整理本全文均可下载）：", ""]
        for v in reversed(versions):
            mark = "（本页）" if entry is not None and v["sha256"] == entry["sha256"] else ""
            lines.append(f"- [{label(v)}](../data/versions/{doc_id}/{v['sha256']}.txt){mark}")
    return "\n".join(lines)


def json_front(versions: list[dict], cleaned: str) -> str:
    return json.dumps(citation_version(versions, cleaned), ensure_ascii=False)
