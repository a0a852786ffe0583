"""`make bench`: a deterministic synthetic corpus of N documents made by recombining seed paragraphs,
run through the pipeline; prints throughput, time per stage, peak memory, and a second, cached run."""
from __future__ import annotations

import random
import resource
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from .build import build


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


def main(seeds: Path, count: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    try:
        corpus = work / "seeds"
        corpus.mkdir()
        size = synthesize(seeds, corpus, count)
        cache = work / "cache"
        start = time.perf_counter()
        report = build(corpus, work / "docs", cache_dir=cache, progress=False)
        first = time.perf_counter() - start
        stages = Counter()
        for item in report.built:
            stages.update(item.timings)
        start = time.perf_counter()
        second_report = build(corpus, work / "docs", cache_dir=cache, progress=False)
        second = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"corpus: {count} documents, {size / 1e6:.2f} MB raw text, {len(report.errors)} errors")
        print(f"first run:  {first:.2f} s, {size / 1e6 / first:.2f} MB/s, {count / first:.0f} documents/s")
        for stage, seconds in stages.items():
            print(f"  {stage:<12} {seconds:7.2f} s  {size / 1e6 / seconds:8.2f} MB/s")
        rest = first - sum(stages.values())
        print(f"  {'structure+write':<12} {rest:7.2f} s (metadata inference, structure, Markdown, atomic write)")
        cached = sum(item.cached for item in second_report.built)
        print(f"second run: {second:.2f} s, nothing changed, {cached}/{count} documents from the cache")
        print(f"peak memory (max RSS): {peak_mb:.0f} MB")
        return 0 if report.ok and second_report.ok else 1
    finally:
        shutil.rmtree(work)
