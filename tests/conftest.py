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
