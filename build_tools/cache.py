"""The cache of finished documents, content-addressed: a key is the hash of the pipeline's code and
rules, the raw bytes, the sidecar, the errata and the corpus model a document was built with."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import yaml

from . import vocab
from .pipeline import code_fingerprint


def key(name: str, raw: bytes, sidecar: bytes, errata: bytes, model_digest: str) -> str:
    return hashlib.sha256(b"\0".join([code_fingerprint().encode(), name.encode(), hashlib.sha256(raw).digest(),
                                       sidecar, errata, model_digest.encode()])).hexdigest()


def entry(cache_dir: Path | None, key_: str) -> Path | None:
    return cache_dir / key_[:2] / f"{key_}.json" if cache_dir else None


# An entry is four lines of JSON: the document's summary (what the build keeps for every document, with
# the byte lengths of the other lines), its paragraphs (what the corpus-level pages read of its text), the
# rest of its text (cleaned text, page, 校勘记, edit log: read only when its own files are written) and its
# page's search index (publish/search_index.page_fragment). The build keeps only summaries in memory and
# reads the other parts when it needs them (document.Built).
PARTS = ("paragraphs", "text", "search")


def load(entry_: Path | None) -> dict | None:
    """A cached document's summary (its first line), or None when there is none or it cannot be read (a
    corrupt or truncated entry is recomputed)."""
    if not entry_:
        return None
    try:
        with entry_.open("rb") as file:
            first = file.readline()
            data = json.loads(first)
            size = file.seek(0, 2)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    lengths = data.pop("_parts", None)
    if not isinstance(lengths, list) or len(first) + sum(lengths) != size:
        return None
    return data


def load_part(entry_: Path, part: str):
    """One of the other parts of an entry (PARTS); OSError or ValueError when unreadable."""
    with entry_.open("rb") as file:
        lengths = json.loads(file.readline())["_parts"]
        index = PARTS.index(part)
        file.seek(sum(lengths[:index]), 1)
        return json.loads(file.read(lengths[index]))


def store(entry_: Path | None, data: dict, parts: dict | None = None) -> bool:
    """Keep a finished document (`data`, the summary, and `parts`, {part: value}); the cache only saves
    time, so a cache that cannot be written is skipped. Returns whether the entry was written."""
    if not entry_:
        return False
    try:
        entry_.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry_.with_suffix(".tmp")
        lines = [(json.dumps((parts or {}).get(part), ensure_ascii=False) + "\n").encode("utf-8") for part in PARTS]
        first = (json.dumps({**data, "_parts": [len(line) for line in lines]}, ensure_ascii=False) + "\n").encode("utf-8")
        tmp.write_bytes(first + b"".join(lines))
        tmp.replace(entry_)
    except OSError:
        return False
    return True


_ID = re.compile(rb"(?m)^id:[ \t]*(['\"]?)([a-z0-9][a-z0-9-]*)\1[ \t]*(#.*)?$")


def sidecar_id(sidecar: bytes) -> str | None:
    """The id a sidecar gives (it names the errata file), read without validating the sidecar: a cached
    document was built from these very bytes, which were valid then (the schema is among the rules the
    key covers). None when it cannot be read; building the document then reports why."""
    if found := _ID.search(sidecar):
        return found[2].decode()
    try:
        data = vocab.load_untrusted_yaml(sidecar.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def load_json(path: Path | None) -> dict | None:
    """A JSON object kept by `store_json`, or None (no path, missing, unreadable or not an object)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, AttributeError):
        return None
    return data if isinstance(data, dict) else None


def store_json(path: Path, data) -> None:
    """Keep `data` at `path`, replaced whole (the cache only saves time: what cannot be written is skipped)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


class MergedSearchCache:
    """The merged search fragments of groups of pages (publish/search_index.index_files), one JSON file each
    in `folder`, named by the digest of its pages' texts; what cannot be read is merged again."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, digest: str) -> dict | None:
        return load_json(self.folder / digest[:2] / f"{digest}.json")

    def put(self, digest: str, fragment: dict) -> None:
        store_json(self.folder / digest[:2] / f"{digest}.json", fragment)


def load_reads(entry_: Path | None) -> dict | None:
    """The corpus-model counts a cached shift repair read (document.py), or None when unreadable."""
    return load_json(entry_.with_suffix(".reads")) if entry_ else None


def store_reads(entry_: Path | None, reads: dict) -> None:
    if entry_:
        store_json(entry_.with_suffix(".reads"), reads)
