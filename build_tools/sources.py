"""The raw sources in seeds/: each raw file, its metadata sidecar (same stem, .yml) and its errata file
(seeds/errata/<id>.yml). seeds/ is only ever read."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError

SIDECAR_SUFFIXES = (".yml", ".yaml")
ERRATA_DIR = "errata"  # seeds/errata/<id>.yml: human corrections (repair/errata.py)


@dataclass
class Source:
    stem: str
    path: Path
    sidecar: Path | None


def discover(seeds: Path) -> tuple[list[Source], list[SourceError]]:
    """Raw sources are the files directly in seeds/; a sidecar has the same stem and ends in .yml."""
    files = sorted(p for p in seeds.iterdir() if p.is_file() and not p.name.startswith("."))
    raws = [p for p in files if p.suffix not in SIDECAR_SUFFIXES and not p.name.lower().startswith("readme")]
    sidecars = {p.stem: p for p in files if p.suffix in SIDECAR_SUFFIXES}
    errors = []
    by_stem: dict[str, Path] = {}
    for raw in raws:
        if raw.stem in by_stem:
            errors.append(SourceError(raw, f"two sources share the stem '{raw.stem}' ({by_stem[raw.stem].name})"))
        by_stem[raw.stem] = raw
    for stem, sidecar in sorted(sidecars.items()):
        if stem not in by_stem:
            errors.append(SourceError(sidecar, f"metadata file with no source (no seeds/{stem}.* raw file)"))
    return [Source(stem, raw, sidecars.get(stem)) for stem, raw in sorted(by_stem.items())], errors
