"""Shared fixtures: one real build of the real seeds into a temporary docs/ per test session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from build_tools.build import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    docs = tmp_path_factory.mktemp("project") / "docs"
    report = build(SEEDS, docs, progress=False)
    assert report.ok, [str(e) for e in report.errors]
    return report, docs


@pytest.fixture(scope="session")
def pages(built):
    """{id: (front matter, body)} of every generated document page."""
    _, docs = built
    out = {}
    for path in sorted((docs / "documents").glob("*.md")):
        if path.name == "index.md":
            continue
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        out[meta["id"]] = (meta, body)
    return out


@pytest.fixture
def corpus(tmp_path):
    """A writable copy of seeds/ for tests that add bad input."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    return seeds


def seed_ids() -> list[str]:
    return sorted(yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in SEEDS.glob("*.yml"))


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """A whole project copy (hand-written docs, mkdocs.yml, overrides) with freshly generated pages, built
    by `mkdocs build --strict`. Returns (project dir, site dir)."""
    import subprocess
    import sys

    from build_tools.build import GENERATED_DIRS

    project = tmp_path_factory.mktemp("site-project")
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "overrides", project / "overrides")
    (project / "build_tools").symlink_to(ROOT / "build_tools")  # mkdocs.yml hooks
    shutil.copytree(ROOT / "docs", project / "docs",
                    ignore=lambda d, names: [n for n in names if Path(d) == ROOT / "docs" and n in GENERATED_DIRS])
    report = build(SEEDS, project / "docs", progress=False)
    assert report.ok, [str(e) for e in report.errors]
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
                             "-d", str(project / "site")], capture_output=True, text=True, cwd=project)
    assert result.returncode == 0, result.stderr
    return project, project / "site"
