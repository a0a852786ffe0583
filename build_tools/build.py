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
from . import classify, indexes, page, shift, suspicious, urls, vocab
from .edits import final_spans, log_to_json
from .errors import SourceError
from .pipeline import Processed, code_fingerprint, process
from .shift import CorpusModel
from .structure import structure

GENERATED_DIRS = ("documents", "data", "cities", "years", "topics", "genres", "cited")  # the rest is hand-written
DIGEST_FILE = "data/build.sha256"  # digest of every generated file: an unchanged build rewrites nothing
SIDECAR_SUFFIXES = (".yml", ".yaml")
ERRATA_DIR = "errata"  # seeds/errata/<id>.yml: human corrections (errata.py)


@dataclass
class Source:
    stem: str
    path: Path
    sidecar: Path | None


@dataclass
class Built:
    """One finished document: everything written for it and reported about it (cacheable as JSON)."""
    meta: dict
    inferred: dict[str, str]
    encoding: str
    script: dict
    cleaned: str
    markdown: str  # the page without the corpus-level block (indexes.related_block) and the 校勘记
    apparatus: str  # the 校勘记
    edit_log: str
    edit_counts: dict[str, int]  # "stage/rule" -> number of edits
    timings: dict[str, float]
    suspicious: list[str]  # damage that no repair accounted for, with context
    sections: list[dict] = field(default_factory=list)  # classify.classify()
    paragraphs: list[dict] = field(default_factory=list)  # anchor, section, topics, text
    shift_sites: int = 0  # paragraphs awaiting the one-byte-shift repair (built without a corpus model)
    cached: bool = False
    source: Source | None = None

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("source", "cached")}


@dataclass
class Report:
    built: list[Built] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: bool = False
    urls: set[str] = field(default_factory=set)  # every published page URL and document anchor

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


def build_one(source: Source, cache_dir: Path | None, strict: bool, model: CorpusModel | None = None) -> Built:
    if strict and not source.sidecar:
        raise SourceError(source.path, f"no metadata file (strict build): add seeds/{source.stem}.yml")
    raw = source.path.read_bytes()
    sidecar = source.sidecar.read_bytes() if source.sidecar else b""
    meta = metadata_mod.load_sidecar(source.sidecar) if source.sidecar else None  # validated on every build
    doc_id = meta["id"] if meta else metadata_mod.stable_id(source.stem)
    errata_file = source.path.parent / ERRATA_DIR / f"{doc_id}.yml"
    errata_file = errata_file if errata_file.is_file() else None
    key = hashlib.sha256(b"\0".join([code_fingerprint().encode(), source.path.name.encode(),
                                      hashlib.sha256(raw).digest(), sidecar,
                                      errata_file.read_bytes() if errata_file else b"",
                                      (model.digest if model else "").encode()])).hexdigest()
    entry = cache_dir / key[:2] / f"{key}.json" if cache_dir else None
    if entry and entry.exists():
        return Built(**json.loads(entry.read_text(encoding="utf-8")), cached=True, source=source)
    built = make_built(source, raw, meta, model, errata_file)
    if entry:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(".tmp")
        tmp.write_text(json.dumps(built.to_json(), ensure_ascii=False), encoding="utf-8")
        tmp.replace(entry)
    return built


def make_built(source: Source, raw: bytes, meta: dict | None, model: CorpusModel | None,
               errata_file: Path | None) -> Built:
    processed = process(raw, source.path, model, errata_file)
    inferred: dict[str, str] = {}
    if meta is None:
        meta, inferred = metadata_mod.infer(source.stem, processed.cleaned, processed.script["script"])
    doc = structure(processed.cleaned)
    counts = Counter(f"{edit.stage}/{edit.rule}" for step in processed.steps for edit in step)
    front_matter = front_matter_for(source, meta, inferred, processed, raw, doc, counts)
    emendations = [edit for step in processed.steps for edit in step if edit.kind]
    marks = [page.Mark(start, end, number, edit) for number, (edit, (start, end))
             in enumerate(zip(emendations, final_spans(processed.steps, emendations)), 1)]
    findings = suspicious.find(processed.cleaned)
    sections = classify.classify(doc, meta)
    text_of = {b.anchor: b.text for b in doc.blocks if b.kind == "paragraph"}
    paragraphs = [{"anchor": anchor, "section": s["anchor"], "topics": sorted(s["topics"]), "text": text_of[anchor]}
                  for s in sections for anchor in s["paragraphs"]]
    return Built(meta, inferred, processed.encoding, processed.script, processed.cleaned,
                 page.render(meta, front_matter, doc, inferred, marks), page.apparatus(emendations, findings),
                 edit_log_json(source, meta, processed), dict(sorted(counts.items())), processed.timings,
                 [finding.describe() for finding in findings], sections, paragraphs, processed.shift_sites,
                 source=source)


def vocabulary_errors(built: Built) -> list[SourceError]:
    """Places and topics in metadata must be in the vocabularies: their slugs make the index URLs."""
    where = built.source.sidecar or built.source.path
    meta, errors = built.meta, []
    names = [meta["place"]["city"], meta["place"].get("county"), *(p["city"] for p in meta.get("subject_places", []))]
    for name in names:
        if name and name != "不详" and name not in vocab.place_by_name():
            errors.append(SourceError(where, f"place '{name}' is not in the gazetteer (add it to "
                                             f"build_tools/rules/gazetteer.yml with a slug)"))
    known = set(indexes.topic_labels())
    for slug in [*meta.get("topics_add", []), *meta.get("topics_remove", [])]:
        if slug not in known:
            errors.append(SourceError(where, f"topic '{slug}' is not in build_tools/rules/topics.yml"))
    return errors


def corpus_model(built: list[Built]) -> CorpusModel:
    """The character-bigram model of the clean corpus: every paragraph of every document (built without
    the shift repair) except those with suspicious spans or a shift signature. It depends only on the
    sources, so the build stays deterministic; adding a source may change it."""
    def undamaged(text: str):
        damaged = {text.count("\n", 0, f.start) for f in suspicious.find(text)}
        return (line for n, line in enumerate(text.split("\n")) if n not in damaged and not shift.SITE.match(line))
    return CorpusModel.from_paragraphs(line for item in sorted(built, key=lambda b: b.source.stem)
                                       for line in undamaged(item.cleaned))


def front_matter_for(source: Source, meta: dict, inferred: dict[str, str], processed: Processed,
                     raw: bytes, doc, counts: Counter) -> dict:
    edits = Counter()
    for name, count in counts.items():
        edits[name.split("/")[0]] += count
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
          progress: bool = True, out=sys.stderr, url_lock: Path | None = None) -> Report:
    """Build docs/ from seeds/. With `url_lock` (urls.py), fail when a locked URL disappears without a
    redirect."""
    report = Report()
    sources, errors = discover(seeds)
    report.errors.extend(errors)
    for source in tqdm(sources, desc="documents", unit="doc", disable=not progress, file=out):
        try:
            report.built.append(build_one(source, cache_dir, strict))
        except SourceError as error:
            report.errors.append(error)
    if any(built.shift_sites for built in report.built):
        model = corpus_model(report.built)
        report.built = [build_one(b.source, cache_dir, strict, model) if b.shift_sites else b
                        for b in report.built]
    for built in report.built:
        report.errors.extend(vocabulary_errors(built))
    errata_dir = seeds / ERRATA_DIR
    known = {built.meta["id"] for built in report.built}
    for path in sorted(errata_dir.glob("*")) if errata_dir.is_dir() else []:
        if path.suffix != ".yml" or path.stem not in known:
            report.errors.append(SourceError(path, "errata file matches no document id (name it errata/<id>.yml)"))
    ids: dict[str, Path] = {}
    for built in report.built:
        where = built.source.sidecar or built.source.path
        if built.meta["id"] in ids:
            report.errors.append(SourceError(where, f"duplicate id '{built.meta['id']}' (also {ids[built.meta['id']]})"))
        ids.setdefault(built.meta["id"], where)
        report.warnings.extend(f"{built.source.path}: {finding}" for finding in built.suspicious)
        if strict and built.suspicious:
            report.errors.append(SourceError(built.source.path, f"{len(built.suspicious)} suspicious spans remain "
                                                                f"(strict build), first: {built.suspicious[0]}"))
        if built.inferred:
            report.warnings.append(f"{built.source.path}: inferred " + "; ".join(
                f"{k}: {v}" for k, v in built.inferred.items()))
    if report.ok:
        files = generated_files(report.built)
        published = urls.published(files, handwritten_pages(docs))
        if url_lock:
            report.errors.extend(urls.check(published, url_lock))
        urls.apply_redirects(files, published)
        report.urls = published
    if report.ok:
        report.written = write(files, docs)
    return report


def handwritten_pages(docs: Path) -> list[str]:
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                  if p.relative_to(docs).parts[0] not in GENERATED_DIRS) if docs.is_dir() else []


def index_doc(item: Built, raw: bytes) -> indexes.Doc:
    meta, date = item.meta, item.meta["date"]
    value = date.get("value") or ""
    return indexes.Doc(meta["id"], meta["title"], meta, meta["place"]["city"], value[:4],
                       bool(date.get("inferred") or "date" in item.inferred),
                       indexes.genre_slugs()[meta["genre"]], classify.document_topics(item.sections, meta),
                       item.sections, item.paragraphs, hashlib.sha256(raw).hexdigest())


def generated_files(built: list[Built]) -> dict[str, bytes]:
    """Every generated file, by its path under docs/."""
    files: dict[str, bytes] = {}
    raws = [item.source.path.read_bytes() for item in built]
    docs = [index_doc(item, raw) for item, raw in zip(built, raws)]
    for item, doc, raw in zip(built, docs, raws):
        doc_id = item.meta["id"]
        page_text = item.markdown + indexes.related_block(doc, docs) + item.apparatus
        files[f"documents/{doc_id}.md"] = page_text.encode("utf-8")
        files[f"data/raw/{doc_id}{item.source.path.suffix or '.txt'}"] = raw
        files[f"data/clean/{doc_id}.txt"] = item.cleaned.encode("utf-8")
        files[f"data/edits/{doc_id}.json"] = item.edit_log.encode("utf-8")
    files["documents/index.md"] = document_list(built).encode("utf-8")
    files.update(indexes.generate(docs))
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(f"{name}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    files[DIGEST_FILE] = (digest.hexdigest() + "\n").encode()
    return files


def write(files: dict[str, bytes], docs: Path) -> bool:
    """Write the generated files into a staging directory, then swap it into docs/ directory by
    directory with renames, so docs/ never holds a half-written tree. Returns False when docs/ already
    holds exactly these files (nothing is rewritten)."""
    current = docs / DIGEST_FILE
    if current.exists() and current.read_bytes() == files[DIGEST_FILE] and all(
            (docs / name).is_dir() for name in GENERATED_DIRS):
        return False
    staging = docs.parent / "build" / "staging"
    if staging.exists():
        shutil.rmtree(staging)
    for name, data in files.items():
        _write(staging / name, data)
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
    return True


def edit_log_json(source: Source, meta: dict, processed: Processed) -> str:
    """The edit log of one document: a header, then one step per line (each a list of edits)."""
    header = {"id": meta["id"], "source": f"seeds/{source.path.name}", "encoding": processed.encoding,
              "replays_from": "the raw file decoded with `encoding`; apply each step in order"}
    head = json.dumps(header, ensure_ascii=False)[:-1]
    steps = ",\n".join(json.dumps(log_to_json([step])[0], ensure_ascii=False) for step in processed.steps)
    return f'{head}, "steps": [\n{steps}\n]}}\n'


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
        edits.update(built.edit_counts)
    cached = sum(b.cached for b in report.built)
    lines = [f"documents: {len(report.built)} built ({cached} from cache), {len(report.errors)} with errors"]
    lines += [f"  edits {name}: {count}" for name, count in sorted(edits.items())]
    lines += [f"warning: {w}" for w in report.warnings]
    lines += [f"error: {e}" for e in report.errors]
    if not report.ok:
        lines.append("build failed: docs/ was left as it was")
    elif not report.written:
        lines.append("no change: docs/ already holds this build")
    return "\n".join(lines)
