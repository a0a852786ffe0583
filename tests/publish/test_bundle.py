"""The offline bundle (zip and BagIt bag) and the links of both builds, read from the built files."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import bagit
import pytest

# Attributes whose value the browser follows or loads.
LINK_ATTRS = {"href", "src"}
LOADED_RELS = {"stylesheet", "preload", "preconnect", "modulepreload", "icon", "manifest", "dns-prefetch"}


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attr, value)
        self.loads: list[str] = []  # what the page loads by itself: src=, <link rel=stylesheet|icon|...>
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in LINK_ATTRS:
            if attrs.get(name) is not None:
                self.links.append((tag, name, attrs[name]))
        if attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href") and set((attrs.get("rel") or "").split()) & LOADED_RELS:
            self.loads.append(attrs["href"])


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def internal_links(site: Path, directory_urls: bool) -> tuple[int, list[str]]:
    """(links checked, broken ones): every relative href/src of every page resolves to a file, and every
    #fragment to an id in the target page."""
    pages = sorted(site.rglob("*.html"))
    parsed = {p: parse(p) for p in pages}
    checked, broken = 0, []
    for page, links in parsed.items():
        for tag, _, value in links.links:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or value.startswith(("mailto:", "javascript:")):
                continue
            checked += 1
            path = unquote(parts.path)
            if path.startswith("/"):  # root-relative (404.html): site_url's path is "/"
                target = (site / path.lstrip("/")).resolve()
            else:
                target = page if not path else (page.parent / path).resolve()
            if path.endswith("/") or (path and target.is_dir()):
                if not directory_urls:
                    broken.append(f"{page.relative_to(site)}: {value} (a directory URL does not open from file://)")
                    continue
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {value} (no file)")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if fragment not in ids:
                    broken.append(f"{page.relative_to(site)}: {value} (no id {fragment!r})")
    return checked, broken


def test_every_internal_link_of_the_online_site_resolves(site):
    _, out = site
    checked, broken = internal_links(out, directory_urls=True)
    assert checked > 1000 and broken == [], broken[:20]


def test_every_internal_link_of_the_offline_bundle_resolves(bundle):
    checked, broken = internal_links(bundle["zip"], directory_urls=False)
    assert checked > 1000 and broken == [], broken[:20]


def test_bundle_is_a_valid_bagit_bag_with_sha256_manifest_and_readme(bundle):
    bag = bagit.Bag(str(bundle["bag"]))
    bag.validate()  # raises BagValidationError on any missing, extra or altered file
    assert bag.version_info == (1, 0) and set(bag.algorithms) == {"sha256"}
    assert (bundle["bag"] / "manifest-sha256.txt").is_file()
    assert bag.info["External-Identifier"] and bag.info["Bagging-Date"]
    readme = (bundle["bag"] / "data" / "README.txt").read_text(encoding="utf-8")
    documents = len([p for p in (bundle["zip"] / "documents").glob("*.html") if p.name != "index.html"])
    assert "index.html" in readme and f"Documents: {documents}\n" in readme
    # The bag's payload is the zipped offline site, file for file.
    payload = sorted(p.relative_to(bundle["bag"] / "data") for p in (bundle["bag"] / "data").rglob("*") if p.is_file())
    zipped = sorted(p.relative_to(bundle["zip"]) for p in bundle["zip"].rglob("*") if p.is_file())
    assert payload == zipped


def test_a_tampered_bag_fails_validation(bundle, tmp_path):
    import shutil
    copy = tmp_path / "bag"
    shutil.copytree(bundle["bag"], copy)
    page = next((copy / "data" / "documents").glob("0*.html"))
    page.write_text(page.read_text(encoding="utf-8").replace("组织", "組織", 1), encoding="utf-8")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(copy)).validate()


def test_offline_build_uses_file_urls_the_archive_search_and_vendored_scripts(bundle):
    site = bundle["zip"]
    assert (site / "search.html").is_file()
    assert (site / "search" / "meta.js").read_text(encoding="utf-8").startswith('__searchIndex("meta",')
    assert (site / "assets" / "vendor" / "opencc-js" / "t2cn.js").is_file()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="documents/index.html"' in index
    # no worker, so no iframe-worker shim (nor the CDN copy Material's offline plugin would name)
    assert "iframe-worker" not in index and not (site / "assets" / "vendor" / "iframe-worker").exists()


@pytest.mark.parametrize("which", ["online", "offline"])
def test_no_page_loads_anything_from_another_host(which, site, bundle):
    """Static half of the no-external-request rule (the browser tests count the requests): no script,
    stylesheet, font, image or frame points off the site."""
    root = site[1] if which == "online" else bundle["zip"]
    offenders = {f"{page.relative_to(root)}: {value}" for page in root.rglob("*.html")
                 for value in parse(page).loads if urlsplit(value).netloc}
    for css in root.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", css.read_text(encoding="utf-8")):
            if re.match(r"['\"]?(https?:)?//", url):
                offenders.add(f"{css.relative_to(root)}: url({url})")
    assert not offenders, sorted(offenders)[:20]


def test_offline_copy_cites_the_stable_online_urls(bundle):
    """Pages of the offline copy are .html files, but what a scholar copies from them (canonical link,
    sitemap, citation files) is the stable directory URL of the online site."""
    site = bundle["zip"]
    doc = "004-c74ad4d4a80dbc28"
    stable = f"http://127.0.0.1:8000/documents/{doc}/"
    page = (site / "documents" / f"{doc}.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{stable}">' in page
    assert f'<meta name="citation_public_url" content="{stable}">' in page
    assert ".html" not in "".join(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    assert f"url = {{{stable}}}" in (site / "data" / "cite" / f"{doc}.bib").read_text(encoding="utf-8")
