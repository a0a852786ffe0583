"""The record of the last good build of a docs/ folder, kept in the cache (`.cache/pipeline/builds/`): the
digest of everything the build reads (the code and rules, the sources, sidecars, errata and histories, the
hand-written pages, the URL lock), the completion marker it left, the size, times and inode of every
generated file it left on disk, and what its report said (each document's summary, the warnings, the
URLs). A build whose inputs have that digest, and whose docs/ is still as that build left it, is decided
from the record: its cost is hashing the sources and stat'ing docs/, not building the documents and pages
again. Anything else (another input, a generated file touched, no record, a record that cannot be read) is
an ordinary build, which writes a new record when it succeeds."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .cache import load_json, store_json
from .pipeline import code_fingerprint
from .sources import ERRATA_DIR, HISTORY_DIR, Source

MARKER = ".build-complete"  # publish/output.py's completion marker


def record_path(cache_dir: Path, docs: Path) -> Path:
    return cache_dir / "builds" / f"{hashlib.sha256(str(docs.resolve()).encode()).hexdigest()[:32]}.json"


def _files_under(folder: Path):
    """Every file under `folder` (sorted, relative POSIX paths), for the digest."""
    if not folder.is_dir():
        return []
    out = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        out += [Path(root, name) for name in sorted(names)]
    return out


def inputs_digest(seeds: Path, sources: list[Source], docs: Path, handwritten: list[str], strict: bool,
                  url_lock: Path | None) -> str | None:
    """The digest of everything a build of `sources` into `docs` reads; None when a file cannot be read
    (the ordinary build then says why)."""
    digest = hashlib.sha256()

    def add(*parts) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
            digest.update(b"\0")

    add(code_fingerprint(), seeds, docs, strict, url_lock or "", *handwritten)
    try:
        if url_lock and url_lock.exists():
            add(hashlib.sha256(url_lock.read_bytes()).digest())
        for source in sources:
            add(source.path.name, hashlib.sha256(source.path.read_bytes()).digest())
            if source.sidecar:
                add(source.sidecar.name, hashlib.sha256(source.sidecar.read_bytes()).digest())
        for folder in (seeds / ERRATA_DIR, seeds / HISTORY_DIR):
            for path in _files_under(folder):
                add(path.relative_to(seeds).as_posix(), hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None
    return digest.hexdigest()


def disk_state(docs: Path, folders) -> dict[str, list[int]]:
    """{path under docs/: [size, mtime_ns, ctime_ns, inode]} of every file in the generated folders."""
    state = {}

    def walk(folder: str) -> None:
        try:
            entries = list(os.scandir(docs / folder))
        except FileNotFoundError:
            return
        for entry in entries:
            name = f"{folder}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                walk(name)
            else:
                st = entry.stat(follow_symlinks=False)
                state[name] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    for folder in folders:
        walk(folder)
    return state


def load(cache_dir: Path | None, docs: Path) -> dict | None:
    return load_json(record_path(cache_dir, docs)) if cache_dir else None


def unchanged(record: dict, inputs: str | None, docs: Path, folders, cache_dir: Path) -> bool:
    """Whether docs/ holds what the recorded build left, for the same inputs, with every cache entry there."""
    try:
        if inputs is None or record.get("inputs") != inputs:
            return False
        if (docs / MARKER).read_text(encoding="utf-8") != record["tree"]:
            return False
        if not all((cache_dir / item["entry"]).is_file() for item in record["built"]):
            return False
        return disk_state(docs, folders) == record["disk"]
    except (OSError, ValueError, KeyError, TypeError):
        return False


def store(cache_dir: Path, docs: Path, record: dict) -> None:
    store_json(record_path(cache_dir, docs), record)


def files_path(cache_dir: Path, docs: Path) -> Path:
    return record_path(cache_dir, docs).with_suffix(".files.json")


def load_files(cache_dir: Path | None, docs: Path) -> dict | None:
    """What the last good build left of each document's files (publish/output.Tree.record), read by a
    build that changes something (kept apart from the record a no-change build reads)."""
    return load_json(files_path(cache_dir, docs)) if cache_dir else None


def store_files(cache_dir: Path, docs: Path, files: dict) -> None:
    store_json(files_path(cache_dir, docs), files)
