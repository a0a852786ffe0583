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


def load(entry_: Path | None) -> dict | None:
    """A cached document, or None when there is none or it cannot be read (a corrupt entry is recomputed)."""
    if not entry_:
        return None
    try:
        data = json.loads(entry_.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def store(entry_: Path | None, data: dict) -> None:
    """Keep a finished document; the cache only saves time, so a cache that cannot be written is skipped."""
    if not entry_:
        return
    try:
        entry_.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry_.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(entry_)
    except OSError:
        pass


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


def load_reads(entry_: Path | None) -> dict | None:
    """The corpus-model counts a cached shift repair read (document.py), or None when unreadable."""
    try:
        data = json.loads(entry_.with_suffix(".reads").read_text(encoding="utf-8"))
    except (OSError, ValueError, AttributeError):
        return None
    return data if isinstance(data, dict) else None


def store_reads(entry_: Path | None, reads: dict) -> None:
    if entry_:
        try:
            entry_.parent.mkdir(parents=True, exist_ok=True)
            entry_.with_suffix(".reads").write_text(json.dumps(reads, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass
