"""The generated part of docs/: every file the build writes (document pages, raw and cleaned texts, edit
logs, index pages, exports), and `write`, which swaps them into docs/ only when the whole corpus is good,
so a failed build leaves the last good pages in place."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from ..describe import classify
from . import indexes, page
from .corpus import Doc, genre_slugs
from .related import Related

if TYPE_CHECKING:
    from ..document import Built

GENERATED_DIRS = ("documents", "data", "cities", "years", "topics", "genres", "cited")  # the rest is hand-written
DIGEST_FILE = "data/build.sha256"  # digest of every generated file: an unchanged build rewrites nothing


def handwritten_pages(docs: Path) -> list[str]:
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                  if p.relative_to(docs).parts[0] not in GENERATED_DIRS) if docs.is_dir() else []



def index_doc(item: Built, raw: bytes) -> Doc:
    meta, date = item.meta, item.meta["date"]
    value = date.get("value") or ""
    return Doc(meta["id"], meta["title"], meta, meta["place"]["city"], value[:4],
                       bool(date.get("inferred") or "date" in item.inferred),
                       genre_slugs()[meta["genre"]], classify.document_topics(item.sections, meta),
                       item.sections, item.paragraphs, hashlib.sha256(raw).hexdigest())



def generated_files(built: list[Built]) -> dict[str, bytes]:
    """Every generated file, by its path under docs/."""
    files: dict[str, bytes] = {}
    raws = [item.source.path.read_bytes() for item in built]
    docs = [index_doc(item, raw) for item, raw in zip(built, raws)]
    related = Related(docs)
    for item, doc, raw in zip(built, docs, raws):
        doc_id = item.meta["id"]
        page_text = item.markdown + related.block(doc) + item.apparatus
        files[f"documents/{doc_id}.md"] = page_text.encode("utf-8")
        files[f"data/raw/{doc_id}{item.source.path.suffix or '.txt'}"] = raw
        files[f"data/clean/{doc_id}.txt"] = item.cleaned.encode("utf-8")
        files[f"data/edits/{doc_id}.json"] = item.edit_log.encode("utf-8")
    files.update(document_list(built))
    files.update(indexes.generate(docs))
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(f"{name}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    files[DIGEST_FILE] = (digest.hexdigest() + "\n").encode()
    return files



def write(files: dict[str, bytes], docs: Path) -> bool:
    """Write the generated files into a staging directory, then swap it into docs/ directory by
    directory with renames, so docs/ never holds a half-written tree. Returns False when docs/ already
    holds exactly these files (nothing is rewritten)."""
    current = docs / DIGEST_FILE
    if current.exists() and current.read_bytes() == files[DIGEST_FILE] and all(
            (docs / name).is_dir() for name in GENERATED_DIRS):
        return False
    staging = docs.parent / "build" / "staging"
    if staging.exists():
        shutil.rmtree(staging)
    for name, data in files.items():
        _write(staging / name, data)
    trash = docs.parent / "build" / "previous"
    if trash.exists():
        shutil.rmtree(trash)
    trash.mkdir(parents=True)
    docs.mkdir(parents=True, exist_ok=True)
    for name in GENERATED_DIRS:
        if (docs / name).exists():
            os.replace(docs / name, trash / name)
        os.replace(staging / name, docs / name)
    shutil.rmtree(trash)
    shutil.rmtree(staging)
    return True



def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)



def document_list(built: list[Built]) -> dict[str, bytes]:
    rows = []
    for item in sorted(built, key=lambda b: b.meta["id"]):
        meta = item.meta
        rows.append(f"| [{page.escape(meta['title'])}]({meta['id']}.md) | {meta['genre']} | "
                    f"{page.escape(meta['place']['city'])} | {page.escape(page.format_date(meta['date']))} |")
    return indexes.paginate("documents/index.md", ["# 全部文献", ""],
                            rows, ("| 文献 | 体裁 | 地方 | 日期 |", "| --- | --- | --- | --- |"))
