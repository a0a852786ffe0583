"""One document through the whole per-document chain: clean and repair (pipeline.py), describe
(metadata, structure, classification) and its page (publish/page.py), cached by content (cache.py)."""
from __future__ import annotations

import base64
import hashlib
import json
import sys
import zlib
from array import array
from collections import Counter
from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from pathlib import Path

from . import cache, sources
from .clean.edits import final_spans, log_to_json
from .describe import classify, places
from .describe import metadata as metadata_mod
from .describe.structure import structure
from .errors import SourceError
from .pipeline import Processed, process
from .publish import output, page
from .publish.corpus import topic_labels
from .repair import suspicious
from .repair.model import CorpusModel
from .sources import ERRATA_DIR, Source


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
    search_fragment: dict = field(default_factory=dict)  # its page's search index (output.search_fragment)
    shift_sites: int = 0  # paragraphs awaiting the one-byte-shift repair (built without a corpus model)
    to_review: int = 0  # emendations below page.REVIEW_BELOW (待核)
    cached: bool = False
    source: Source | None = None
    key: str = ""  # the cache key of the first pass (no corpus model): what the document's inputs are
    raw_sha256: str = ""  # of the raw file
    clean_sha256: str = ""  # of the cleaned text
    paragraph_count: int = 0
    parts_sha256: str = ""  # of the text parts (paragraphs, cleaned text, page, 校勘记, edit log)
    truncation_marked: bool = False  # the page marks its text as truncated ("truncation-mark", page.render)
    entry: Path | None = None  # its cache entry, when the text parts are read from there (`slim`)

    def summary_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in (*NOT_STORED, *LAZY)}

    def parts_json(self) -> dict:
        return {"paragraphs": self.paragraphs, "text": {name: getattr(self, name) for name in TEXT},
                "search": self.search_fragment}

    def slim(self, entry: Path) -> "Built":
        """Drop the text parts, stored in the cache entry `entry`: they are read from there when asked for
        (each time: the build keeps every document's summary, never every document's text)."""
        self.entry = entry
        for name in LAZY:
            self.__dict__.pop(name, None)
        return self

    def text(self) -> dict[str, str]:
        """The text fields (cleaned text, page, 校勘记, edit log), read at once."""
        if all(name in self.__dict__ for name in TEXT):
            return {name: self.__dict__[name] for name in TEXT}
        return cache.load_part(self.entry, "text")

    def __getattr__(self, name: str):
        part, entry = LAZY.get(name), self.__dict__.get("entry")
        if entry is None or part is None and name != "sections":
            raise AttributeError(name)
        if name == "sections":  # left out of a build record (memo.py): read once from the entry's summary
            stored = cache.load(entry)
            if stored is None:
                raise OSError(f"cache entry {entry} is unreadable")
            self.sections = (stored["built"] if "model" in stored else stored)["sections"]
            return self.sections
        value = cache.load_part(entry, part)
        return value[name] if part == "text" else value

    def record_json(self) -> dict:
        """The summary without its sections, which only the pages of a build that changes something read."""
        return {k: v for k, v in self.summary_json().items() if k != "sections"}

    @classmethod
    def from_summary(cls, data: dict, **extra) -> "Built":
        """A slim Built from a cache entry's summary (TypeError when the summary has another shape), or from
        a build record's (record_json: its sections are read from the entry when asked for)."""
        known, required, defaults = _summary_fields()
        if not required <= data.keys() <= known.keys():
            raise TypeError(f"cache summary of another shape: {sorted(data.keys() ^ known.keys())}")
        built = cls.__new__(cls)
        built.__dict__.update(defaults)
        built.__dict__.update(data, **extra)
        return built


@lru_cache(maxsize=1)
def _summary_fields() -> tuple[dict, set, dict]:
    """The fields a summary may hold (by name), those it must hold, and the plain defaults of the others."""
    known = {f.name: f for f in fields(Built) if f.name not in LAZY}
    return (known, {n for n, f in known.items() if f.default is MISSING and f.default_factory is MISSING},
            {n: f.default for n, f in known.items() if f.default is not MISSING})


TEXT = ("cleaned", "markdown", "apparatus", "edit_log")  # the "text" part of a cache entry
LAZY = {**{name: "text" for name in TEXT}, "paragraphs": "paragraphs", "search_fragment": "search"}  # field -> part of the cache entry
NOT_STORED = ("source", "cached", "key", "entry")


class _Reads:
    """A view of a Counter that records every count read through it (and whether its size was read)."""

    def __init__(self, counts):
        self.counts, self.read = counts, {}

    def __getitem__(self, key):
        self.read[key] = value = self.counts[key]
        return value

    def __len__(self):
        self.read[None] = size = len(self.counts)
        return size


def _reads_hold(reads: dict | None, model: CorpusModel) -> bool:
    """Whether every count the shift repair read (as recorded) is the same in `model`."""
    if reads is None:
        return False
    for name, counts in (("unigrams", model.unigrams), ("bigrams", model.bigrams)):
        for key, value in reads[name]:
            if (len(counts) if key is None else counts[key]) != value:
                return False
    return True


def _key_hash(key: str) -> int:
    return zlib.crc32(key.encode("utf-8"))


def _read_hashes(reads: dict) -> str:
    """The CRC-32 of every count key a shift repair read, sorted and packed: a changed key whose hash is not
    among them was certainly not read (a hash shared with a read key only costs a rebuild)."""
    hashes = array("I", sorted({_key_hash(key) for name in ("unigrams", "bigrams") for key, _ in reads[name]
                                if key is not None}))
    if sys.byteorder == "big":
        hashes.byteswap()
    return base64.b64encode(zlib.compress(hashes.tobytes())).decode("ascii")


def model_changes_probe(changes: dict) -> dict:
    """build.model_changes with each changed key as its hash."""
    return {digest: ({_key_hash(key) for key in keys}, size) for digest, (keys, size) in changes.items()}


def _unread_changes(stored: dict, changes: dict) -> bool:
    """Whether the model changed, since the one this entry was built with, only in counts its shift repair
    did not read: no changed key's hash is among the hashes of the keys it read (and the vocabulary size is
    the same). False when not known (no recorded chain of changes from that model, no hashes): the
    recorded reads decide."""
    since = changes.get(stored.get("model"))
    if since is None or since[1] or not isinstance(stored.get("read_hashes"), str):
        return False
    read = array("I")
    try:
        read.frombytes(zlib.decompress(base64.b64decode(stored["read_hashes"])))
    except (ValueError, zlib.error):  # a corrupt entry: the recorded reads decide
        return False
    if sys.byteorder == "big":
        read.byteswap()
    return since[0].isdisjoint(read)


def build_one(source: Source, cache_dir: Path | None, strict: bool, model: CorpusModel | None = None,
              changes: dict | None = None) -> Built:
    """One document. Without a corpus `model` (the first pass), a document that needs the one-byte-shift
    repair is only cleaned (`shift_sites`, its `cleaned` text feeds the model) and described later. With
    the model, its cache entry holds the counts the shift repair read: it is reused as long as the model
    holds the same counts for them, so a change elsewhere in the corpus rebuilds it only when it changes
    what its repair reads."""
    if strict and not source.sidecar:
        raise SourceError(source.path, f"no metadata file (strict build): add seeds/{source.stem}.yml")
    raw = sources.read(source.path, "max_raw_bytes")
    sidecar = sources.read(source.sidecar, "max_sidecar_bytes") if source.sidecar else b""
    doc_id = metadata_mod.stable_id(source.stem)
    if source.sidecar:  # the id decides the errata file's name; the sidecar is validated when built
        doc_id = cache.sidecar_id(sidecar) or doc_id
    errata_file = source.path.parent / ERRATA_DIR / f"{doc_id}.yml"
    errata_file = errata_file if errata_file.is_file() else None
    errata = sources.read(errata_file, "max_sidecar_bytes") if errata_file else b""
    key = cache.key(source.path.name, raw, sidecar, errata, "")
    entry = cache.entry(cache_dir, key if model is None else cache.key(key, b"", b"", b"", "shift"))
    stored = cache.load(entry)
    try:
        if model is None and stored is not None:
            return Built.from_summary(stored, cached=True, source=source, key=key, entry=entry)
        if model is not None and stored is not None and (
                stored["model"] == model.digest or _unread_changes(stored, changes or {})
                or _reads_hold(cache.load_reads(entry), model)):
            return Built.from_summary(stored["built"], cached=True, source=source, key=key, entry=entry)
    except (TypeError, KeyError, ValueError, AttributeError):
        pass  # an entry of another shape: recomputed
    meta = metadata_mod.load_sidecar(source.sidecar, sidecar) if source.sidecar else None
    if model is None:
        processed = process(raw, source.path, None, errata_file, errata)
        if processed.shift_sites:  # described in the second pass, with the corpus model
            built = Built(meta or {}, {}, processed.encoding, processed.script, processed.cleaned, "", "", "", {},
                          processed.timings, [], shift_sites=processed.shift_sites, source=source, key=key)
        else:
            built = make_built(source, raw, meta, None, errata_file, errata, processed)
        return _finish(built, key, raw, entry)
    reading = CorpusModel(_Reads(model.unigrams), _Reads(model.bigrams))
    built = make_built(source, raw, meta, reading, errata_file, errata)
    reads = {name: sorted(getattr(reading, name).read.items(), key=lambda item: (item[0] is not None, item[0] or ""))
             for name in ("unigrams", "bigrams")}
    cache.store_reads(entry, reads)  # apart: loaded only when the model changed since the entry was stored
    return _finish(built, key, raw, entry, model.digest, _read_hashes(reads))


def _finish(built: Built, key: str, raw: bytes, entry: Path | None, model_digest: str | None = None,
            read_hashes: str = "") -> Built:
    """Cache a freshly built document; it comes back slim (its text parts read from the entry) when the entry
    was written, else whole."""
    built.key = key
    built.raw_sha256 = hashlib.sha256(raw).hexdigest()
    built.clean_sha256 = hashlib.sha256(built.cleaned.encode("utf-8")).hexdigest()
    built.paragraph_count = len(built.paragraphs)
    built.truncation_marked = "truncation-mark" in built.markdown
    parts = built.parts_json()
    text_parts = {name: parts[name] for name in ("paragraphs", "text")}  # the search fragment is made from them
    built.parts_sha256 = hashlib.sha256(json.dumps(text_parts, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    summary = built.summary_json()
    if model_digest is not None:
        summary = {"model": model_digest, "built": summary, "read_hashes": read_hashes}
    return built.slim(entry) if cache.store(entry, summary, parts) else built


def make_built(source: Source, raw: bytes, meta: dict | None, model: CorpusModel | None,
               errata_file: Path | None, errata: bytes = b"", processed: Processed | None = None) -> Built:
    processed = processed or process(raw, source.path, model, errata_file, errata)
    if meta is None:
        chrome = [edit.before for step in processed.steps for edit in step if edit.stage == "boilerplate"]
        meta, inferred = metadata_mod.infer(source.stem, processed.cleaned, processed.script["script"],
                                             processed.provenance, chrome)
    else:  # a draft sidecar names the fields nobody has checked yet (python -m build_tools add)
        inferred = dict(meta.get("inferred") or {})
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
    search = output.search_fragment(meta["title"], sections, paragraphs)
    return Built(meta, inferred, processed.encoding, processed.script, processed.cleaned,
                 page.render(meta, front_matter, doc, inferred, marks), page.apparatus(emendations, findings),
                 edit_log_json(source, meta, processed), dict(sorted(counts.items())), processed.timings,
                 [finding.describe() for finding in findings], sections, paragraphs, search, processed.shift_sites,
                 sum(1 for e in emendations if e.confidence is not None and e.confidence < page.REVIEW_BELOW),
                 source=source)


def front_matter_for(source: Source, meta: dict, inferred: dict[str, str], processed: Processed,
                     raw: bytes, doc, counts: Counter) -> dict:
    edits = Counter()
    for name, count in counts.items():
        edits[name.split("/")[0]] += count
    attributions = sorted({b.text for b in doc.blocks if b.kind == "attribution"})
    truncated = suspicious.truncation(processed.cleaned)
    return {
        "title": meta["title"],
        **{k: v for k, v in meta.items() if k != "title"},
        "inferred": inferred,
        "attributions": attributions,
        **({"truncated": truncated} if truncated else {}),
        "provenance": {
            "raw_file": f"seeds/{source.path.name}",
            "raw_sha256": hashlib.sha256(raw).hexdigest(),
            "clean_sha256": hashlib.sha256(processed.cleaned.encode("utf-8")).hexdigest(),
            "encoding": processed.encoding,
            "detected_script": processed.script,
            "from_text": processed.provenance,
            "raw_text": f"../data/raw/{meta['id']}.txt",
            "clean_text": f"../data/clean/{meta['id']}.txt",
            "edit_log": f"../data/edits/{meta['id']}.json",
            "edits_by_stage": dict(sorted(edits.items())),
        },
    }


def edit_log_json(source: Source, meta: dict, processed: Processed) -> str:
    """The edit log of one document: a header, then one step per line (each a list of edits)."""
    header = {"id": meta["id"], "source": f"seeds/{source.path.name}", "encoding": processed.encoding,
              "replays_from": "the raw file decoded with `encoding`; apply each step in order"}
    head = json.dumps(header, ensure_ascii=False)[:-1]
    steps = ",\n".join(json.dumps(log_to_json([step])[0], ensure_ascii=False) for step in processed.steps)
    return f'{head}, "steps": [\n{steps}\n]}}\n'


def vocabulary_errors(built: Built) -> list[SourceError]:
    """Places and topics in metadata must be in the vocabularies: their slugs make the index URLs."""
    where = built.source.sidecar or built.source.path
    meta, errors = built.meta, []
    for place in [meta["place"], *meta.get("subject_places", [])]:
        city, county = places.resolve(place)
        for name, unit in ((place["city"], city), (place.get("county"), county)):
            if name and name != "不详" and unit is None:
                errors.append(SourceError(where, f"place '{name}' is not in the gazetteer (neither in "
                                                 f"build_tools/rules/divisions.json nor in gazetteer.yml)"))
    known = set(topic_labels())
    for slug in [*meta.get("topics_add", []), *meta.get("topics_remove", [])]:
        if slug not in known:
            errors.append(SourceError(where, f"topic '{slug}' is not in build_tools/rules/topics.yml"))
    return errors
