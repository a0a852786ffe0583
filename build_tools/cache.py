"""The cache of finished documents, content-addressed: a key is the hash of the pipeline's code and
rules, the raw bytes, the sidecar, the errata and the corpus model a document was built with."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import yaml

from .pipeline import code_fingerprint


def key(name: str, raw: bytes, sidecar: bytes, errata: bytes, model_digest: str) -> str:
    return hashlib.sha256(b"\0".join([code_fingerprint().encode(), name.encode(), hashlib.sha256(raw).digest(),
                                       sidecar, errata, model_digest.encode()])).hexdigest()


def entry(cache_dir: Path | None, key_: str) -> Path | None:
    return cache_dir / key_[:2] / f"{key_}.json" if cache_dir else None


def load(entry_: Path | None) -> dict | None:
    if entry_ and entry_.exists():
        return json.loads(entry_.read_text(encoding="utf-8"))
    return None


def store(entry_: Path | None, data: dict) -> None:
    if entry_:
        entry_.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry_.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(entry_)


_ID = re.compile(rb"(?m)^id:[ \t]*(['\"]?)([a-z0-9][a-z0-9-]*)\1[ \t]*(#.*)?$")


def sidecar_id(sidecar: bytes) -> str | None:
    """The id a sidecar gives (it names the errata file), read without validating the sidecar: a cached
    document was built from these very bytes, which were valid then (the schema is among the rules the
    key covers). None when it cannot be read; building the document then reports why."""
    if found := _ID.search(sidecar):
        return found[2].decode()
    try:
        data = yaml.safe_load(sidecar)
    except (yaml.YAMLError, UnicodeDecodeError):
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None
