"""The cleaning pipeline for one source: decode -> strip boilerplate -> repair -> convert -> normalize.

Each stage is a small module returning (text, edits). `process` chains them and keeps the edit log and the
time each stage took. `code_fingerprint` identifies the code and rules for the build's cache.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .clean import boilerplate, convert, decode, normalize
from .clean.edits import Edit
from .repair import errata, shift
from .repair.stage import repair

PACKAGE = Path(__file__).parent


@dataclass
class Processed:
    encoding: str
    decoded: str  # the decoded raw text the edit log replays from
    cleaned: str
    steps: list[list[Edit]]
    provenance: dict[str, str]  # what boilerplate lines said (source site, original URL, posting time)
    script: dict  # detected script of the raw text
    shift_sites: int = 0  # paragraphs that need the corpus model for a one-byte-shift repair (not yet run)
    timings: dict[str, float] = field(default_factory=dict)


def process(raw: bytes, path, model=None, errata_file: Path | None = None, errata_data: bytes = b"") -> Processed:
    """Clean one source. Without a corpus `model` the one-byte-shift repair is not run; `shift_sites`
    then says whether the source needs it. `errata_file` holds human corrections (errata.py), its bytes
    `errata_data`."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    decoded, encoding, decoded_result = decode.decode(raw, path)
    lap("decode")
    stripped, provenance = boilerplate.strip(decoded_result.text)
    lap("boilerplate")
    corrections = (errata.erratum_edits(stripped.text, errata.load(errata_file, errata_data), errata_file)
                   if errata_file else None)
    repaired = repair(stripped.text, model, corrections)
    shift_sites = len(shift.sites(repaired.text)) if model is None else 0
    lap("repair")
    converted, script = convert.convert(repaired.text)
    lap("convert")
    normalized = normalize.normalize(converted.text)
    lap("normalize")
    steps = decoded_result.steps + stripped.steps + repaired.steps + converted.steps + normalized.steps
    return Processed(encoding, decoded, normalized.text, steps, provenance, script, shift_sites, timings)


@lru_cache(maxsize=None)
def code_fingerprint() -> str:
    """Hash of the pipeline's code and rules: a change to either invalidates the cache."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yml", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
