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
from . import history
from ..errors import SourceError
from . import indexes, page
from .corpus import Doc, genre_slugs
from .related import Related

if TYPE_CHECKING:
    from ..document import Built

GENERATED_DIRS = ("documents", "data", "cities", "years", "topics", "genres", "cited")  # the rest is hand-written
DIGEST_FILE = "data/build.sha256"  # digest of every generated file: an unchanged build rewrites nothing
MARKER = ".build-complete"  # docs/.build-complete, written last: the digest of the tree a finished build left


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
        seeds = item.source.path.parent
        versions = history.load(seeds, doc_id)
        page_text = with_versions(item.markdown, doc_id, versions, item.cleaned) + related.block(doc) + item.apparatus
        files[f"documents/{doc_id}.md"] = page_text.encode("utf-8")
        for version in versions:  # every recorded version's text, kept in seeds/history/
            text = history.text(seeds, doc_id, version["sha256"])
            if text is not None:
                files[f"data/versions/{doc_id}/{version['sha256']}.txt"] = text
        files[f"data/raw/{doc_id}.txt"] = raw  # inert text whatever the source was called
        files[f"data/clean/{doc_id}.txt"] = item.cleaned.encode("utf-8")
        files[f"data/edits/{doc_id}.json"] = item.edit_log.encode("utf-8")
    files.update(document_list(built))
    files.update(indexes.generate(docs))
    return files


def with_versions(markdown: str, doc_id: str, versions: list[dict], cleaned: str) -> str:
    """The page with its version (seeds/history/, read here and not in the cached per-document build): in
    the front matter (`version`, which the citations name) and in 来源与校验."""
    end = markdown.index("\n---\n", 3)
    markdown = markdown[:end] + "\nversion: " + history.json_front(versions, cleaned) + markdown[end:]
    return markdown.replace(page.VERSIONS_SLOT, history.markdown(doc_id, versions, cleaned), 1)


def tree_digest(files) -> str:
    """The digest of a generated tree: of every (path, content) but the digest file itself."""
    digest = hashlib.sha256()
    for name, data in sorted(files):
        if name != DIGEST_FILE:
            digest.update(f"{name}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return digest.hexdigest() + "\n"


def on_disk(docs: Path):
    """(path under docs/, bytes) of every file of the generated folders as they are on disk."""
    for name in GENERATED_DIRS:
        for path in sorted((docs / name).rglob("*")) if (docs / name).is_dir() else []:
            if path.is_file():
                yield path.relative_to(docs).as_posix(), path.read_bytes()


def incomplete(docs: Path) -> str | None:
    """Why docs/ does not hold one whole build (None when it does): its completion marker, written last by
    `write`, is missing, or names other files than those on disk (a build was killed while swapping)."""
    marker = docs / MARKER
    if not marker.is_file():
        return f"{marker} is missing: the last build did not finish; run `python -m build_tools build`"
    if marker.read_text(encoding="utf-8") != tree_digest(on_disk(docs)):
        return f"the generated files in {docs} do not match {marker}: run `python -m build_tools build`"
    return None






def write(files: dict[str, bytes], docs: Path) -> bool:
    """Make docs/ hold exactly `files`, so that a kill at any instant leaves either the previous build or an
    unfinished one that every later step treats as unbuilt (never a mix taken for good): the files are
    written to a staging folder; the completion marker docs/.build-complete is removed; the generated
    folders are swapped in by renames; the marker, the digest of the whole tree, is written last. Returns
    False when docs/ already holds exactly these files, checked on disk (nothing is rewritten). A write
    that fails (permissions, disk full) is one line naming the path."""
    files[DIGEST_FILE] = tree_digest(files.items()).encode()
    if not incomplete(docs) and (docs / MARKER).read_bytes() == files[DIGEST_FILE]:
        return False
    staging, trash = docs.parent / "build" / "staging", docs.parent / "build" / "previous"
    try:
        for folder in (staging, trash):
            if folder.exists():
                shutil.rmtree(folder)
        for name, data in files.items():
            _write(staging / name, data)
        checkpoint()
        trash.mkdir(parents=True)
        docs.mkdir(parents=True, exist_ok=True)
        (docs / MARKER).unlink(missing_ok=True)
        checkpoint()
        for name in GENERATED_DIRS:
            if (docs / name).exists():
                os.replace(docs / name, trash / name)
                checkpoint()
            os.replace(staging / name, docs / name)
            checkpoint()
        _write(docs / (MARKER + ".tmp"), files[DIGEST_FILE])
        os.replace(docs / (MARKER + ".tmp"), docs / MARKER)
        checkpoint()
        shutil.rmtree(trash)
        shutil.rmtree(staging)
    except OSError as error:
        raise SourceError(error.filename or docs, f"cannot write the build ({error.strerror or error}); "
                                                  f"{docs} is left as the previous build or marked unfinished")
    return True


def checkpoint() -> None:
    """Kill tests (tests/test_atomic.py) end the process at the Nth checkpoint (ARCHIVE_KILL_AT=N)."""
    global _checkpoints
    _checkpoints += 1
    if os.environ.get("ARCHIVE_KILL_AT") == str(_checkpoints):
        os._exit(137)


_checkpoints = 0


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
