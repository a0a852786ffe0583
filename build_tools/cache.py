"""The cache of finished documents, content-addressed: a key is the hash of the pipeline's code and
rules, the raw bytes, the sidecar, the errata and the corpus model a document was built with."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

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
