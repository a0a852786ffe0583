"""A build killed at any instant leaves the previous archive or one marked unfinished, never a mix taken for
good, and the next build is correct. The process is killed at every checkpoint of the write (between every
two renames included) by ARCHIVE_KILL_AT; publishing is killed before and after its one switch."""
from __future__ import annotations

import functools
import multiprocessing
import os
import shutil

import pytest

from build_tools.build import build
from build_tools.publish import bundle, output
from tests.conftest import SEEDS, publish_project

NEW_SOURCE = "新增文献\n\n2015年，某市委组织部开展干部教育培训，参训干部一千余人次。\n"


def snapshot(docs):
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def killed_at(point: int, target, *args) -> int:
    """Run target(*args) in a forked child that dies at checkpoint `point`; its exit code."""
    def child():
        os.environ["ARCHIVE_KILL_AT"] = str(point)
        output._checkpoints = 0
        target(*args)
        os._exit(0)
    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(120)
    return process.exitcode


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    """(seeds with one more source, the docs/ of the seeds, the docs/ of the seeds plus that source)."""
    base = tmp_path_factory.mktemp("atomic")
    seeds = base / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "zz_new.txt").write_text(NEW_SOURCE, encoding="utf-8")
    old, new = base / "old" / "docs", base / "new" / "docs"
    assert build(SEEDS, old, progress=False).ok
    assert build(seeds, new, progress=False).ok
    return seeds, snapshot(old), snapshot(new)


def test_a_build_killed_at_any_checkpoint_leaves_old_or_unfinished_and_the_next_build_is_right(trees, tmp_path):
    seeds, old, new = trees
    cache = tmp_path / "cache"
    outcomes = set()
    for point in range(1, 40):
        docs = tmp_path / f"k{point}" / "docs"
        for name, data in old.items():
            (docs / name).parent.mkdir(parents=True, exist_ok=True)
            (docs / name).write_bytes(data)
        code = killed_at(point, functools.partial(build, seeds, docs, progress=False, cache_dir=cache))
        state = snapshot(docs)
        problem = output.incomplete(docs)
        if code == 0:
            assert problem is None and state == new
            break
        assert code == 137
        if problem is None:  # a finished tree is the old one or the new one, whole
            assert state in (old, new), point
            outcomes.add("old" if state == old else "new")
        else:  # killed in the swap: unbuilt, and publishing refuses it
            outcomes.add("unfinished")
            with pytest.raises(bundle.PublishError, match="run `python -m build_tools build`"):
                bundle.publish(docs.parent, docs.parent / "site", docs.parent / "dist")
        report = build(seeds, docs, progress=False, cache_dir=cache)
        assert report.ok and report.written == (state != new)  # a whole new tree is not rewritten
        assert snapshot(docs) == new and output.incomplete(docs) is None
    else:
        pytest.fail("the build never finished")
    assert {"old", "unfinished", "new"} <= outcomes, outcomes


def test_publishing_killed_leaves_the_previous_site_and_bundle_whole(tmp_path):
    project, site, dist = publish_project(tmp_path / "project")
    before = {p: snapshot(p) for p in (site, dist)}
    for point in (1, 2):  # after the release is built, after the switch
        code = killed_at(point, bundle.publish, project, site, dist)
        assert code == 137
        # site/ and dist/ name one release, the previous or the new (a build of the same docs/: same pages)
        assert site.resolve().parent == dist.resolve().parent
        assert snapshot(site) == before[site] and sorted(snapshot(dist)) == sorted(before[dist])
    bundle.publish(project, site, dist)
    assert snapshot(site) == before[site]
    assert len(list((project / "build" / "releases").iterdir())) == 1  # older releases are removed
