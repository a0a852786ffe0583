"""Build the archive's generated pages: seeds/ -> docs/documents/ and docs/data/.

Every source is processed and every problem reported (one line each, naming the file); only when the
whole corpus is good is the output swapped into docs/, so a failed build leaves the last good pages in
place. seeds/ is only ever read.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import metadata as metadata_mod
from . import page
from .errors import SourceError
from .pipeline import Processed, process_cached
from .structure import structure

GENERATED_DIRS = ("documents", "data")  # everything else in docs/ is hand-written
SIDECAR_SUFFIXES = (".yml", ".yaml")


@dataclass
class Source:
    stem: str
    path: Path
    sidecar: Path | None


@dataclass
class Built:
    source: Source
    meta: dict
    inferred: dict[str, str]
    processed: Processed
    markdown: str


@dataclass
class Report:
    built: list[Built] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


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


def build_one(source: Source, cache_dir: Path | None, strict: bool) -> Built:
    raw = source.path.read_bytes()
    processed = process_cached(raw, source.path, cache_dir)
    if source.sidecar:
        meta = metadata_mod.load_sidecar(source.sidecar)
        inferred: dict[str, str] = {}
    else:
        if strict:
            raise SourceError(source.path, "no metadata file (strict build): add "
                                           f"seeds/{source.stem}.yml")
        meta, inferred = metadata_mod.infer(source.stem, processed.cleaned, processed.script["script"])
    doc = structure(processed.cleaned, meta["title"])
    front_matter = front_matter_for(source, meta, inferred, processed, raw, doc)
    return Built(source, meta, inferred, processed, page.render(meta, front_matter, doc, inferred))


def front_matter_for(source: Source, meta: dict, inferred: dict[str, str], processed: Processed,
                     raw: bytes, doc) -> dict:
    edits = Counter(edit.stage for step in processed.steps for edit in step)
    attributions = sorted({b.text for b in doc.blocks if b.kind == "attribution"})
    return {
        "title": meta["title"],
        **{k: v for k, v in meta.items() if k != "title"},
        "inferred": inferred,
        "attributions": attributions,
        "provenance": {
            "raw_file": f"seeds/{source.path.name}",
            "raw_sha256": hashlib.sha256(raw).hexdigest(),
            "clean_sha256": hashlib.sha256(processed.cleaned.encode("utf-8")).hexdigest(),
            "encoding": processed.encoding,
            "detected_script": processed.script,
            "from_text": processed.provenance,
            "raw_text": f"../data/raw/{meta['id']}{source.path.suffix or '.txt'}",
            "clean_text": f"../data/clean/{meta['id']}.txt",
            "edit_log": f"../data/edits/{meta['id']}.json",
            "edits_by_stage": dict(sorted(edits.items())),
        },
    }


def build(seeds: Path, docs: Path, *, strict: bool = False, cache_dir: Path | None = None,
          progress: bool = True, out=sys.stderr) -> Report:
    report = Report()
    sources, errors = discover(seeds)
    report.errors.extend(errors)
    for source in tqdm(sources, desc="documents", unit="doc", disable=not progress, file=out):
        try:
            report.built.append(build_one(source, cache_dir, strict))
        except SourceError as error:
            report.errors.append(error)
    ids: dict[str, Path] = {}
    for built in report.built:
        where = built.source.sidecar or built.source.path
        if built.meta["id"] in ids:
            report.errors.append(SourceError(where, f"duplicate id '{built.meta['id']}' (also {ids[built.meta['id']]})"))
        ids.setdefault(built.meta["id"], where)
        if built.inferred:
            report.warnings.append(f"{built.source.path}: inferred " + "; ".join(
                f"{k}: {v}" for k, v in built.inferred.items()))
    if report.ok:
        write(report.built, docs)
    return report


def write(built: list[Built], docs: Path) -> None:
    """Write every generated file into a staging directory, then swap it into docs/ directory by
    directory with renames, so docs/ never holds a half-written tree."""
    staging = docs.parent / "build" / "staging"
    if staging.exists():
        shutil.rmtree(staging)
    for item in built:
        doc_id = item.meta["id"]
        _write(staging / "documents" / f"{doc_id}.md", item.markdown.encode("utf-8"))
        _write(staging / "data" / "raw" / f"{doc_id}{item.source.path.suffix or '.txt'}", item.source.path.read_bytes())
        _write(staging / "data" / "clean" / f"{doc_id}.txt", item.processed.cleaned.encode("utf-8"))
        log = {"id": doc_id, "source": f"seeds/{item.source.path.name}", "encoding": item.processed.encoding,
               "replays_from": "the raw file decoded with `encoding`", "steps": [
                   [edit.to_json() for edit in step] for step in item.processed.steps]}
        _write(staging / "data" / "edits" / f"{doc_id}.json",
               (json.dumps(log, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    _write(staging / "documents" / "index.md", document_list(built).encode("utf-8"))
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


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def document_list(built: list[Built]) -> str:
    lines = ["# 全部文献", "", "| 文献 | 体裁 | 地方 | 日期 |", "| --- | --- | --- | --- |"]
    for item in sorted(built, key=lambda b: b.meta["id"]):
        meta = item.meta
        lines.append(f"| [{page.escape(meta['title'])}]({meta['id']}.md) | {meta['genre']} | "
                     f"{page.escape(meta['place']['city'])} | {page.escape(page.format_date(meta['date']))} |")
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    edits = Counter()
    for built in report.built:
        for step in built.processed.steps:
            for edit in step:
                edits[f"{edit.stage}/{edit.rule}"] += 1
    cached = sum(b.processed.cached for b in report.built)
    lines = [f"documents: {len(report.built)} built ({cached} from cache), {len(report.errors)} with errors"]
    lines += [f"  edits {name}: {count}" for name, count in sorted(edits.items())]
    lines += [f"warning: {w}" for w in report.warnings]
    lines += [f"error: {e}" for e in report.errors]
    if not report.ok:
        lines.append("build failed: docs/ was left as it was")
    return "\n".join(lines)
