"""Build the archive's generated pages: seeds/ -> docs/documents/ and docs/data/ and the index pages.

The order of the work: discover the sources (sources.py); build each document (document.py: clean, repair,
describe, render); when some need the one-byte-shift repair, build the corpus model from every document's
undamaged paragraphs and build those again with it; check vocabularies, errata and ids; generate every file
(publish/output.py), check the URL lock (publish/urls.py) and swap the files into docs/. Every source is
processed and every problem reported (one line each, naming the file); seeds/ is only ever read.
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import resource
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import cache, document, memo
from .document import Built, build_one, vocabulary_errors
from .errors import SourceError
from .pipeline import code_fingerprint
from .publish import history, output, urls
from .repair import shift, suspicious
from .repair.model import CorpusModel
from .sources import ERRATA_DIR, discover


@dataclass
class Report:
    built: list[Built] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: bool = False
    urls: set[str] = field(default_factory=set)  # every published page URL and document anchor
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase of the build (bench.py)
    rebuilt: set[str] = field(default_factory=set)  # documents built now, not from the cache (either pass)
    peak_mb: dict[str, float] = field(default_factory=dict)  # max RSS of this process at the end of each phase

    @property
    def ok(self) -> bool:
        return not self.errors


def corpus_model(built: list[Built], cache_dir: Path | None = None) -> CorpusModel:
    """The character-bigram model of the clean corpus: every paragraph of every document (built without
    the shift repair) except those with suspicious spans or a shift signature. It depends only on the
    sources, so the build stays deterministic; adding a source may change it. Cached under the first-pass
    keys of every document (a key covers the code, so the model's code too). When those keys changed, it is
    the last model computed in this cache (model/last.json names it and its keys) less the counts of the
    documents that changed or went, as they were (their old entries), plus their counts now: the same
    counts as computed from every document, from the changed documents' texts alone."""
    entry = None
    keys = {b.source.stem: b.key for b in built}
    if cache_dir and all(keys.values()):
        digest = hashlib.sha256("".join(f"{stem}\t{key}\n" for stem, key in sorted(keys.items())).encode()).hexdigest()
        entry = cache_dir / "model" / f"{digest}.pickle"
        try:
            return pickle.loads(entry.read_bytes())
        except Exception:  # none yet, or unreadable: computed again
            pass
    last = _last_model(cache_dir) if entry else None
    model = (_updated_model(built, keys, cache_dir, *last) if last else None) or _corpus_model(built)
    if entry:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            entry.with_suffix(".tmp").write_bytes(pickle.dumps(model))
            entry.with_suffix(".tmp").replace(entry)
            if last:
                _add_change(cache_dir, last[1], model)
            cache.store_json(entry.parent / "last.json", {"model": entry.name, "keys": keys})
        except OSError:
            pass
    return model


CHAIN = 20  # model changes kept in model/changes.json


def _last_model(cache_dir: Path) -> tuple[dict, CorpusModel] | None:
    """The keys and the model of the last model computed in this cache, or None."""
    try:
        last = json.loads((cache_dir / "model" / "last.json").read_text(encoding="utf-8"))
        return last["keys"], pickle.loads((cache_dir / "model" / last["model"]).read_bytes())
    except Exception:
        return None


def _add_change(cache_dir: Path, previous: CorpusModel, model: CorpusModel) -> None:
    """Record in model/changes.json which counts differ between the previous model and this one (unigrams
    and bigrams: a key's length tells them apart) and whether the vocabulary size did: a shift repair that
    read none of them reads the same in both (document._unread_changes)."""
    path = cache_dir / "model" / "changes.json"
    if previous.digest == model.digest:  # the same model for the cache entries (its digest names it there)
        if previous.unigrams != model.unigrams:  # but not the same counts: the chain ends here
            cache.store_json(path, [])
        return
    changed = sorted(key for old, new in ((previous.unigrams, model.unigrams), (previous.bigrams, model.bigrams))
                     for key in old.keys() | new.keys() if old[key] != new[key])
    try:
        chain = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        chain = []
    chain = [*chain, {"from": previous.digest, "to": model.digest, "changed": changed,
                      "size": len(previous.unigrams) != len(model.unigrams)}][-CHAIN:]
    cache.store_json(path, chain)


def model_changes(cache_dir: Path | None, model: CorpusModel) -> dict[str, tuple[list[str], bool]]:
    """{digest of an earlier model: (every count key that changed since, whether the size did)} along the
    recorded chain of changes that ends at `model` (model/changes.json)."""
    try:
        chain = json.loads((cache_dir / "model" / "changes.json").read_text(encoding="utf-8")) if cache_dir else []
    except (OSError, ValueError):
        return {}
    out, keys, size, at = {}, set(), False, model.digest
    for link in reversed(chain):
        if link.get("to") != at:
            break
        keys |= set(link["changed"])
        size = size or link["size"]
        at = link["from"]
        out.setdefault(at, (sorted(keys), size))
    return out


def _undamaged(text: str):
    damaged = {text.count("\n", 0, f.start) for f in suspicious.find(text)}
    return (line for n, line in enumerate(text.split("\n")) if n not in damaged and not shift.SITE.match(line))


def _corpus_model(built: list[Built]) -> CorpusModel:
    return CorpusModel.from_paragraphs(line for item in sorted(built, key=lambda b: b.source.stem)
                                       for line in _undamaged(item.cleaned))


def _updated_model(built: list[Built], keys: dict[str, str], cache_dir: Path, old_keys: dict[str, str],
                   previous: CorpusModel) -> CorpusModel | None:
    """The last model of this cache (`previous`, of the documents `old_keys`) updated for the documents whose
    key changed; None when it would take more work than computing it again, or when an old entry is
    unreadable."""
    try:
        changed = sorted(stem for stem in set(keys) | set(old_keys) if keys.get(stem) != old_keys.get(stem))
        if len(changed) * 2 > len(keys):
            return None
        unigrams, bigrams = Counter(previous.unigrams), Counter(previous.bigrams)
        by_stem = {b.source.stem: b for b in built}
        for stem in changed:
            if stem in old_keys:  # its counts as they were, from its old first-pass entry
                old = cache.load_part(cache.entry(cache_dir, old_keys[stem]), "text")["cleaned"]
                gone = CorpusModel.from_paragraphs(_undamaged(old))
                for counts, less in ((unigrams, gone.unigrams), (bigrams, gone.bigrams)):
                    for key, value in less.items():
                        left = counts[key] - value
                        if left < 0:
                            return None
                        if left:
                            counts[key] = left
                        else:
                            del counts[key]
            if stem in by_stem:
                new = CorpusModel.from_paragraphs(_undamaged(by_stem[stem].cleaned))
                unigrams.update(new.unigrams)
                bigrams.update(new.bigrams)
        return CorpusModel(unigrams, bigrams)
    except Exception:  # no last model, an old entry gone or unreadable: computed from every document
        return None


_MODEL: CorpusModel | None = None  # the corpus model of a worker process (second pass)


def _set_model(model: CorpusModel | None, changes: dict | None = None) -> None:
    global _MODEL, _CHANGES
    _MODEL, _CHANGES = model, document.model_changes_probe(changes or {})


_CHANGES: dict = {}  # model_changes of the worker's model, each changed key as its hash


def _build_task(task: tuple) -> Built | SourceError:
    """One document in a worker (or in this process): the Built, or its one-line error as a value."""
    source, cache_dir, strict = task
    try:
        return build_one(source, cache_dir, strict, _MODEL, _CHANGES)
    except SourceError as error:
        return error
    finally:  # what outlives a document (the models, dictionaries and tables loaded once) is left out of later
        gc.collect()  # collections, which otherwise walk it again and again: about 8% of a cold build's time
        gc.freeze()


def build_all(sources: list, cache_dir: Path | None, strict: bool, model: CorpusModel | None = None, *,
              progress: bool = False, out=sys.stderr, desc: str = "documents",
              changes: dict | None = None) -> list[Built | SourceError]:
    """Build every source, over a pool of `os.cpu_count()` worker processes (in this process for a single
    document or a single core). Results come back in the order of `sources`, so the output does not
    depend on which worker finished first."""
    tasks = [(source, cache_dir, strict) for source in sources]
    workers = min(os.cpu_count() or 1, len(tasks))
    bar = tqdm(total=len(tasks), desc=desc, unit="doc", disable=not progress, file=out)
    results = []
    if workers <= 1:
        _set_model(model, changes)
        try:
            for task in tasks:
                results.append(_build_task(task))
                bar.update()
        finally:
            _set_model(None)
            gc.unfreeze()  # this process goes on to make the pages
    else:
        code_fingerprint()  # computed once, inherited by forked workers
        chunk = max(1, min(16, len(tasks) // (workers * 8)))
        with ProcessPoolExecutor(workers, initializer=_set_model, initargs=(model, changes)) as pool:
            for result in pool.map(_build_task, tasks, chunksize=chunk):
                results.append(result)
                bar.update()
    bar.close()
    return results


def build(seeds: Path, docs: Path, *, strict: bool = False, cache_dir: Path | None = None,
          progress: bool = True, out=sys.stderr, url_lock: Path | None = None) -> Report:
    """Build docs/ from seeds/. With `url_lock` (urls.py), fail when a locked URL disappears without a
    redirect."""
    report = Report()
    clock = [time.perf_counter()]

    def lap(phase: str) -> None:
        now = time.perf_counter()
        report.phases[phase] = report.phases.get(phase, 0.0) + now - clock[0]
        report.peak_mb[phase] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        clock[0] = now

    sources, errors = discover(seeds)
    report.errors.extend(errors)
    record = inputs = None
    if cache_dir and not errors:  # the last good build of this docs/, if nothing it read has changed
        handwritten = output.handwritten_pages(docs)
        inputs = memo.inputs_digest(seeds, sources, docs, handwritten, strict, url_lock)
        record = memo.load(cache_dir, docs)
        if record and memo.unchanged(record, inputs, docs, output.GENERATED_DIRS, cache_dir):
            try:
                report.built = [Built.from_summary(item["summary"], cached=True, source=source, key=item["key"],
                                                   entry=cache_dir / item["entry"])
                                for source, item in zip(sources, record["built"], strict=True)
                                if source.stem == item["stem"] or _mismatch()]
                report.warnings, report.urls = list(record["warnings"]), set(record["urls"])
                lap("unchanged")
                return report
            except (TypeError, KeyError, ValueError):
                report.built, report.warnings, report.urls = [], [], set()
    for result in build_all(sources, cache_dir, strict, progress=progress, out=out):
        (report.errors if isinstance(result, SourceError) else report.built).append(result)
    report.rebuilt = {b.source.stem for b in report.built if not b.cached}
    lap("documents")
    with_model = {b.source.stem for b in report.built if b.shift_sites}
    if with_model:
        model = corpus_model(report.built, cache_dir)
        lap("corpus model")
        again = [b for b in report.built if b.shift_sites]
        rebuilt = iter(build_all([b.source for b in again], cache_dir, strict, model, progress=progress, out=out,
                                 changes=model_changes(cache_dir, model),
                                 desc="shift repair"))
        report.built = [next(rebuilt) if b.shift_sites else b for b in report.built]
        report.errors.extend(b for b in report.built if isinstance(b, SourceError))
        report.built = [b for b in report.built if not isinstance(b, SourceError)]
        report.rebuilt |= {b.source.stem for b in report.built if not b.cached}
        lap("shift repair")
    moved = moved_by_model(report, docs, with_model)
    moved_warnings = list(report.warnings)  # they compare with the previous build: not part of the record
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
        if built.source.path.parent == seeds and not any(
                version["sha256"] == built.clean_sha256 for version in history.load(seeds, built.meta["id"])):
            report.warnings.append(f"{built.source.path}: its cleaned text (SHA-256 {built.clean_sha256[:12]}) is "
                                   f"not in seeds/history/{built.meta['id']}.yml: run `python -m build_tools lock` to "
                                   f"record it as a new version")
        if built.inferred:
            report.warnings.append(f"{built.source.path}: inferred " + "; ".join(
                f"{k}: {v}" for k, v in built.inferred.items()))
    if report.ok:
        files = output.generated_files(report.built, docs, memo.load_files(cache_dir, docs),
                                       cache.MergedSearchCache(cache_dir / "search") if cache_dir else None)
        published = urls.published(files, output.handwritten_pages(docs), files.anchors)
        if url_lock:
            report.errors.extend(blame(error, moved) for error in urls.check(published, url_lock))
        try:
            report.errors.extend(urls.apply_redirects(files, published))
        except SourceError as error:  # a page to redirect in could not be staged
            report.errors.append(error)
        report.urls = published
        lap("pages")
        if report.ok:
            try:
                report.written = output.write(files, docs)
            except SourceError as error:
                report.errors.append(error)
            lap("write")
        else:
            files.discard()
    if report.ok and inputs and all(b.entry for b in report.built):
        memo.store_files(cache_dir, docs, files.record())
        memo.store(cache_dir, docs, {
            "inputs": inputs, "tree": files.digest(), "disk": memo.disk_state(docs, output.GENERATED_DIRS),
            "warnings": [w for w in report.warnings if w not in moved_warnings], "urls": sorted(report.urls),
            "built": [{"stem": b.source.stem, "key": b.key, "entry": b.entry.relative_to(cache_dir).as_posix(),
                       "summary": b.record_json()} for b in report.built]})
        lap("record")
    return report


def _mismatch():
    raise ValueError("the record names other sources")



def moved_by_model(report: Report, docs: Path, with_model: set[str]) -> dict[str, list[str]]:
    """{document id: the sources that changed} for every document repaired with the corpus model whose own
    raw file is as in the previous build (docs/data/catalog.json) but whose cleaned text is not: the model,
    built from the whole corpus, changed with other sources. Each gets a warning naming those sources."""
    try:
        previous = {row["id"]: row["raw_sha256"] for row in json.loads(
            (docs / "data" / "catalog.json").read_text(encoding="utf-8"))}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    current = {b.meta["id"]: (b, b.raw_sha256) for b in report.built}
    changed = [str(b.source.path) for i, (b, sha) in sorted(current.items()) if previous.get(i) != sha]
    changed += [f"{i} (removed)" for i in sorted(set(previous) - set(current))]
    moved = {}
    for doc_id, (built, sha) in sorted(current.items()):
        old = docs / "data" / "clean" / f"{doc_id}.txt"
        if (built.source.stem in with_model and changed and previous.get(doc_id) == sha and old.is_file()
                and hashlib.sha256(old.read_bytes()).hexdigest() != built.clean_sha256):  # its text is not read
            moved[doc_id] = changed
            report.warnings.append(f"{built.source.path}: its text changed though its source did not: the corpus "
                                   f"model of the one-byte-shift repair changed with {', '.join(changed[:5])}")
    return moved


def blame(error: SourceError, moved: dict[str, list[str]]) -> SourceError:
    """A locked URL of a document whose text the corpus model moved: the error names the source that
    changed the model, not the lock file."""
    for doc_id, changed in moved.items():
        if f"documents/{doc_id}/" in error.problem:
            return SourceError(changed[0], f"changed the corpus model of the one-byte-shift repair, and so the "
                                           f"text of {doc_id}: {error.problem}")
    return error


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
