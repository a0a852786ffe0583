"""The offline copy is derived from the online build (publish/offline.py) instead of built a second time:
it must be, byte for byte, what `mkdocs build` with OFFLINE=true (Material's offline plugin) writes, with the
default site_url and with one under a path (a GitHub Pages project site), where 404.html's URLs start."""
from __future__ import annotations

import zipfile

import pytest

from build_tools.publish import bundle, offline
from build_tools.publish.offline import Rewriter


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: dict, b: dict) -> list[str]:
    return sorted(set(a) ^ set(b)) + [name for name in sorted(set(a) & set(b)) if a[name] != b[name]]


@pytest.mark.parametrize("url", [None, "https://example.org/zuzhi-archive/"])
def test_derived_copy_is_the_second_mkdocs_build(url, published, tmp_path, monkeypatch):
    project, site, _ = published
    if url:  # both builds again, under a site_url with a path
        monkeypatch.setenv("SITE_URL", url)
        site = tmp_path / "online"
        bundle.mkdocs_build(project, site, offline=False)
    built = tmp_path / "built"
    bundle.mkdocs_build(project, built, offline=True)
    derived = tmp_path / "derived"
    config = bundle.load_config(str(project / "mkdocs.yml"))
    assert config.site_url == (url or bundle.LOCAL_URL)
    pages = offline.derive(site.resolve(), derived, project / "docs", config.site_url)
    assert pages == len(list(built.rglob("*.html")))
    built_files, derived_files = tree(built), tree(derived)
    assert len(built_files) > 150 and differences(built_files, derived_files) == []


def test_rewriter_maps_directory_urls_to_files():
    pages = {"index.html": ("./", "index.html", "index.html"),
             "about/index.html": ("about/", "about.html", "about.html"),
             "documents/index.html": ("documents/", "documents/index.html", "documents/index.html"),
             "documents/a/index.html": ("documents/a/", "documents/a.html", "documents/a.html"),
             "topics/t/2/index.html": ("topics/t/2/", "topics/t/2.html", "topics/t/2.html")}
    r = Rewriter(pages, "/x/")
    on_a = ("documents/a", "documents/a.html")  # (online directory, offline URL) of one page
    assert r.url("../..", *on_a) == "../index.html"
    assert r.url("../", *on_a) == "index.html"
    assert r.url("./", *on_a) == "a.html"
    assert r.url("../../about/#top", *on_a) == "../about.html#top"
    assert r.url("../../topics/t/2/?q=1", *on_a) == "../topics/t/2.html?q=1"
    assert r.url("../../data/raw/a.txt", *on_a) == "../data/raw/a.txt"
    assert r.url("../../assets/", *on_a) == "../assets/"  # a folder that is no page stays a folder
    for unchanged in ("#p12", "", "https://example.org/a/", "//cdn.example/x.js", "mailto:a@b.c", "data:,x"):
        assert r.url(unchanged, *on_a) == unchanged
    assert r.url("documents/a/", "", "index.html") == "documents/a.html"
    assert r.url(".", "", "index.html") == "index.html"
    assert r.url("/x/.", "", None) == "/x/index.html"  # 404.html: under site_url's path
    assert r.url("/x/about/", "", None) == "/x/about.html"
    assert r.url("/x/assets/a.css", "", None) == "/x/assets/a.css"
    assert r.url("/elsewhere/", "", None) == "/elsewhere/"


def test_the_offline_zip_holds_the_derived_copy(published, tmp_path):
    """dist/'s zip is the offline copy plus README.txt, and the bag's payload is the same files."""
    project, site, dist = published
    derived = tmp_path / "derived"
    offline.derive(site.resolve(), derived, project / "docs", bundle.LOCAL_URL)
    with zipfile.ZipFile(dist / bundle.ZIP_NAME) as zf:
        zipped = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist()}
    with zipfile.ZipFile(dist / bundle.BAG_NAME) as zf:
        prefix = f"{bundle.NAME}-bag/data/"
        bagged = {n[len(prefix):]: zf.read(n) for n in zf.namelist() if n.startswith(prefix)}
    assert zipped.pop("README.txt") == bagged.pop("README.txt")
    assert differences(zipped, tree(derived)) == [] and differences(bagged, zipped) == []
