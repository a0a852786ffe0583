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


def publish_project(root: Path, seeds: Path = SEEDS) -> tuple[Path, Path, Path]:
    """A whole project copy (hand-written docs, mkdocs.yml, overrides) with pages generated from `seeds`,
    published the way `make site` does it: the online site (mkdocs build --strict) and the offline bundle.
    Returns (project dir, site dir, dist dir)."""
    from build_tools.publish.bundle import publish
    from build_tools.publish.output import GENERATED_DIRS

    project = root
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "overrides", project / "overrides")
    (project / "build_tools").symlink_to(ROOT / "build_tools")  # mkdocs.yml hooks
    shutil.copytree(ROOT / "docs", project / "docs",
                    ignore=lambda d, names: [n for n in names if Path(d) == ROOT / "docs" and n in GENERATED_DIRS])
    report = build(seeds, project / "docs", progress=False)
    assert report.ok, [str(e) for e in report.errors]
    publish(project, project / "site", project / "dist")
    return project, project / "site", project / "dist"


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """The real seeds, published: (project dir, site dir, dist dir)."""
    return publish_project(tmp_path_factory.mktemp("site-project"))


def unzip_bundle(dist: Path, out: Path) -> dict[str, Path]:
    """The offline bundle as an archive receives it: {'zip': unzipped site folder, 'bag': unzipped bag}."""
    import zipfile

    from build_tools.publish.bundle import BAG_NAME, NAME, ZIP_NAME

    for archive in (ZIP_NAME, BAG_NAME):
        with zipfile.ZipFile(dist / archive) as zf:
            zf.extractall(out)
    return {"zip": out / NAME, "bag": out / f"{NAME}-bag"}


@pytest.fixture(scope="session")
def site(published):
    """(project dir, online site dir)."""
    project, site_dir, _ = published
    return project, site_dir


@pytest.fixture(scope="session")
def bundle(published, tmp_path_factory):
    """The offline bundle as an archive receives it: {'zip': unzipped site folder, 'bag': unzipped bag}."""
    return unzip_bundle(published[2], tmp_path_factory.mktemp("bundle"))


ARTIFACTS = ROOT / "build" / "test-artifacts"
