"""The raw sources in seeds/: each raw file, its metadata sidecar (same stem, .yml) and its errata file
(seeds/errata/<id>.yml). seeds/ is only ever read. What seeds/ accepts is data (rules/limits.yml): regular
files with a raw or sidecar suffix, and the errata folder; anything else (another suffix, a dot-file, a
symlink, a FIFO, a folder) is an error that names it, never skipped in silence."""
from __future__ import annotations

import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import vocab
from .errors import SourceError


@lru_cache(maxsize=1)
def limits() -> dict:
    return vocab.load_yaml("limits.yml")


ERRATA_DIR = "errata"  # seeds/errata/<id>.yml: human corrections (repair/errata.py)
HISTORY_DIR = "history"  # seeds/history/<id>.yml and <id>/<sha256>.txt: versions of the cleaned text (history.py)


@dataclass
class Source:
    stem: str
    path: Path
    sidecar: Path | None


def _kind(path: Path) -> str | None:
    """None for a regular file that is not a symlink; else what it is, for the error line."""
    try:
        mode = path.lstat().st_mode
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if stat.S_ISLNK(mode):
        return "a symbolic link (put the file itself in seeds/)" if path.exists() else "a dangling symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder (only seeds/errata/ and seeds/history/ are expected)"
    if not stat.S_ISREG(mode):
        return "not a regular file (a FIFO, socket or device)"
    return None


def read(path: Path, limit_key: str) -> bytes:
    """The bytes of a file in seeds/, or one line saying why not (unreadable, over the size limit)."""
    limit = limits()[limit_key]
    try:
        size = path.stat().st_size
        if size > limit:
            raise SourceError(path, f"{size:,} bytes, over the limit of {limit:,} ({limit_key} in "
                                    f"build_tools/rules/limits.yml)")
        return path.read_bytes()
    except OSError as error:
        raise SourceError(path, f"cannot be read ({error.strerror or error})") from None


def discover(seeds: Path) -> tuple[list[Source], list[SourceError]]:
    """Raw sources are the files directly in seeds/ with a raw suffix; a sidecar has the same stem."""
    rules = limits()
    errors: list[SourceError] = []
    raws, sidecars = [], {}
    try:
        entries = sorted(seeds.iterdir())
    except OSError as error:
        return [], [SourceError(seeds, f"cannot be read ({error.strerror or error})")]
    for path in entries:
        if path.name in (ERRATA_DIR, HISTORY_DIR) and path.is_dir() and not path.is_symlink():
            continue
        problem = _kind(path)
        if problem is None and path.name.startswith("."):
            problem = "a hidden file: seeds/ holds only raw sources and their sidecars"
        if problem is None and path.suffix not in (*rules["raw_suffixes"], *rules["sidecar_suffixes"]):
            problem = (f"suffix '{path.suffix}' is not a raw source ({', '.join(rules['raw_suffixes'])}) nor a "
                       f"sidecar ({', '.join(rules['sidecar_suffixes'])}): save the text as .txt")
        if problem:
            errors.append(SourceError(path, problem))
        elif path.suffix in rules["sidecar_suffixes"]:
            sidecars[path.stem] = path
        else:
            raws.append(path)
    by_stem = {raw.stem: raw for raw in raws}
    for stem, sidecar in sorted(sidecars.items()):
        if stem not in by_stem:
            errors.append(SourceError(sidecar, f"metadata file with no source (no seeds/{stem}.txt raw file)"))
    return [Source(stem, raw, sidecars.get(stem)) for stem, raw in sorted(by_stem.items())], errors
