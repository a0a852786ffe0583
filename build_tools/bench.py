"""`make bench` (`make bench N=10000`): a deterministic synthetic corpus of N documents made by recombining
seed lines, run through the whole chain. Prints the time of each phase and of each cleaning stage, MB/s,
documents/s, peak memory (this process and the largest worker process), then a cached run with nothing
changed, a run after one byte of one source changed and one after one character changed (how many documents
were rebuilt), the size of docs/ and its largest page; with `--site`, `mkdocs build` of the bench corpus
and the size of the site."""
from __future__ import annotations

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


def _site(docs: Path, work: Path) -> tuple[float, int]:
    """`mkdocs build` of the bench pages with the project's configuration; (seconds, bytes of site/)."""
    project = work / "project"
    shutil.copytree(docs, project / "docs")
    for name in ("index.md", "about.md", "about-data.md", "cite.md", "stylesheets", "javascripts"):
        source = ROOT / "docs" / name
        if source.is_dir():
            shutil.copytree(source, project / "docs" / name)
        elif source.exists():
            shutil.copy(source, project / "docs" / name)
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "overrides", project / "overrides")
    (project / "build_tools").symlink_to(ROOT / "build_tools")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(project / "site")],
                   cwd=project, check=True)
    seconds = time.perf_counter() - start
    return seconds, sum(p.stat().st_size for p in (project / "site").rglob("*") if p.is_file())


def main(seeds: Path, count: int, site: bool = False, keep: Path | None = None) -> int:
    """With `keep`, the work folder (seeds/, cache/, docs/ after the last run, docs-first/ after the first
    run) is that folder, created and left in place: to compare the pages of two versions of the pipeline
    (`diff -r`) or to time further builds of the same corpus; else a temporary folder, removed."""
    if keep:
        keep.mkdir(parents=True)
    work = keep or Path(tempfile.mkdtemp(prefix="archive-bench-"))
    try:
        corpus, cache, docs = work / "seeds", work / "cache", work / "docs"
        corpus.mkdir()
        size = synthesize(seeds, corpus, count)
        report, first = _timed(corpus, docs, cache)
        if keep:
            shutil.copytree(docs, work / "docs-first", symlinks=True)
        stages = Counter()
        for item in report.built:
            stages.update(item.timings)
        self_mb, child_mb = _peak_mb()
        print(f"corpus: {count} documents, {size / 1e6:.2f} MB raw text, {len(report.errors)} errors")
        print(f"first run:  {first:.2f} s, {size / 1e6 / first:.2f} MB/s, {count / first:.1f} documents/s")
        for phase, seconds in report.phases.items():
            print(f"  {phase:<14} {seconds:8.2f} s (wall), max RSS of this process {report.peak_mb[phase]:6.0f} MB")
        print("  cleaning stages, summed over the workers (CPU seconds; second pass for shift documents):")
        for stage, seconds in stages.items():
            print(f"    {stage:<12} {seconds:8.2f} s  {size / 1e6 / seconds:8.2f} MB/s")
        print(f"peak memory (max RSS) after the first run: {self_mb:.0f} MB main process, "
              f"{child_mb:.0f} MB largest worker")
        again, second = _timed(corpus, docs, cache)
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
            seconds, total = _site(docs, work)
            print(f"mkdocs build: {seconds:.1f} s, site/ {total / 1e6:.1f} MB")
        self_mb, child_mb = _peak_mb()
        print(f"peak memory (max RSS) overall: {self_mb:.0f} MB main process, {child_mb:.0f} MB largest child")
        return 0 if report.ok and again.ok else 1
    finally:
        if not keep:
            shutil.rmtree(work)
