"""`make bench` (`make bench N=10000`): a deterministic synthetic corpus of N documents made by recombining
seed lines, run through the whole chain. Prints the time of each phase and of each cleaning stage, MB/s,
documents/s, peak memory (this process and the largest worker process), then a cached run with nothing
changed, a run after one byte of one source changed and one after one character changed (how many documents
were rebuilt), the size of docs/ and its largest page; with `--site`, `mkdocs build` of the bench corpus
and the size of the site."""
from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from .build import build

ROOT = Path(__file__).resolve().parent.parent


def synthesize(seeds: Path, out: Path, count: int) -> int:
    """Write `count` sources recombining the seeds' lines (raw, with their noise); return bytes written."""
    rng = random.Random(20261122)
    lines = []
    for path in sorted(seeds.glob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    total = 0
    for number in range(count):
        body = "\n\n".join(rng.choice(lines) for _ in range(rng.randint(8, 40)))
        data = body.encode("gb18030" if number % 10 == 0 else "utf-8")  # some sources in GBK
        (out / f"bench_{number:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def _peak_mb() -> tuple[float, float]:
    """Max RSS of this process and of the largest child process (worker pools), in MB."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def _timed(corpus: Path, docs: Path, cache: Path):
    start = time.perf_counter()
    report = build(corpus, docs, cache_dir=cache, progress=False)
    return report, time.perf_counter() - start


def _change(corpus: Path, number: int, old: bytes, new: bytes) -> str:
    path = corpus / f"bench_{number:05d}.txt"
    data = path.read_bytes()
    at = data.find(old)
    path.write_bytes(data[:at] + new + data[at + len(old):])
    return f"{path.name}: {old.decode()} -> {new.decode()}"


def _site(docs: Path, work: Path) -> None:
    """What `python -m build_tools site` does (publish/bundle.py: both MkDocs builds, the bundle, the switch),
    on the bench pages with the project's configuration; prints each step's time and the peak memory of each
    mkdocs process, the sizes of site/ and of the two zips. The project copy is rebuilt on every run."""
    project = work / "project"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(docs, project / "docs")
    for name in ("index.md", "about.md", "about-data.md", "cite.md", "search.md", "stylesheets", "javascripts"):
        source = ROOT / "docs" / name
        if source.is_dir():
            shutil.copytree(source, project / "docs" / name)
        elif source.exists():
            shutil.copy(source, project / "docs" / name)
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "overrides", project / "overrides")
    (project / "build_tools").symlink_to(ROOT / "build_tools")
    load = os.getloadavg()
    start = time.perf_counter()
    # In a fresh process, as `python -m build_tools site` runs: a child forked from this one (over 1 GB after
    # the pipeline) would report this process's memory as its own peak (Linux keeps it across exec).
    done = subprocess.run([sys.executable, "-c", "import sys; from build_tools.bench import publish_timed; "
                           "publish_timed(sys.argv[1])", str(project)], cwd=ROOT, check=True,
                          stdout=subprocess.PIPE, text=True)
    total = time.perf_counter() - start
    timings = json.loads(done.stdout.splitlines()[-1])
    print(f"python -m build_tools site (publish): {total:.1f} s wall "
          f"(load average {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after); peak memory "
          f"{timings.pop('process MB'):.0f} MB in the publishing process")
    for step, value in timings.items():
        if not step.endswith(" MB"):
            memory = timings.get(f"{step} MB")
            print(f"  {step:<16} {value:8.1f} s" + (f", peak memory {memory:.0f} MB (the mkdocs process)" if memory else ""))
    site = (project / "site").resolve()
    pages = sum(1 for _ in site.rglob("*.html"))
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    zips = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in sorted((project / "dist").resolve().iterdir()))
    print(f"site/ {size / 1e6:.1f} MB, {pages} HTML pages; dist/: {zips}")


def publish_timed(project: str) -> None:
    """`publish` of a project folder; prints its timings as JSON, with this process's peak memory."""
    from .publish.bundle import publish
    timings: dict = {}
    root = Path(project)
    publish(root, root / "site", root / "dist", timings=timings)
    status = Path("/proc/self/status").read_text()
    timings["process MB"] = int(status.split("VmHWM:")[1].split()[0]) / 1024  # this process's own peak
    print(json.dumps(timings))


def main(seeds: Path, count: int, site: bool = False, work: Path | None = None, site_only: bool = False) -> int:
    """`work`: keep the corpus, cache and pages there (a later run with the same `work` rebuilds from the
    cache); `site_only`: skip the cached and changed runs (with `site`, to measure the publishing)."""
    keep = work is not None
    work = work or Path(tempfile.mkdtemp(prefix="archive-bench-"))
    try:
        corpus, cache, docs = work / "seeds", work / "cache", work / "docs"
        shutil.rmtree(corpus, ignore_errors=True)
        corpus.mkdir(parents=True)
        size = synthesize(seeds, corpus, count)
        report, first = _timed(corpus, docs, cache)
        if keep:  # the pages after the first run, to compare two versions of the pipeline (diff -r)
            shutil.rmtree(work / "docs-first", ignore_errors=True)
            shutil.copytree(docs, work / "docs-first", symlinks=True)
        stages = Counter()
        for item in report.built:
            stages.update(item.timings)
        self_mb, child_mb = _peak_mb()
        print(f"corpus: {count} documents, {size / 1e6:.2f} MB raw text, {len(report.errors)} errors")
        print(f"first run:  {first:.2f} s, {size / 1e6 / first:.2f} MB/s, {count / first:.1f} documents/s"
              + (f" ({len(report.rebuilt)} documents built, the others from the cache in {work})" if keep else ""))
        for phase, seconds in report.phases.items():
            print(f"  {phase:<14} {seconds:8.2f} s (wall), max RSS of this process {report.peak_mb[phase]:6.0f} MB")
        if stages:
            print("  cleaning stages, summed over the workers (CPU seconds; second pass for shift documents):")
        for stage, seconds in stages.items():
            print(f"    {stage:<12} {seconds:8.2f} s  {size / 1e6 / seconds:8.2f} MB/s")
        print(f"peak memory (max RSS) after the first run: {self_mb:.0f} MB main process, "
              f"{child_mb:.0f} MB largest worker")
        ok = report.ok
        if not site_only:
            again, second = _timed(corpus, docs, cache)
            ok = ok and again.ok
            print(f"second run: {second:.2f} s, nothing changed, {len(again.rebuilt)} documents rebuilt, "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in again.phases.items()))
            for label, change in (("one byte", (count // 2, b"1", b"2")), ("one character", (count // 3, "的".encode(), "地".encode()))):
                what = _change(corpus, *change)
                changed, seconds = _timed(corpus, docs, cache)
                print(f"{label} changed ({what}): {seconds:.2f} s, {len(changed.rebuilt)} documents rebuilt, "
                      + ", ".join(f"{k} {v:.2f} s" for k, v in changed.phases.items()))
        pages = [p for p in docs.rglob("*.md")]
        largest = max(pages, key=lambda p: p.stat().st_size)
        print(f"docs/: {sum(p.stat().st_size for p in docs.rglob('*') if p.is_file()) / 1e6:.1f} MB, "
              f"{len(pages)} pages, largest page {largest.relative_to(docs)} {largest.stat().st_size / 1e3:.0f} KB")
        if site:
            _site(docs, work)
        self_mb, child_mb = _peak_mb()
        print(f"peak memory (max RSS) overall: {self_mb:.0f} MB main process, {child_mb:.0f} MB largest child")
        return 0 if ok else 1
    finally:
        if not keep:
            shutil.rmtree(work)
