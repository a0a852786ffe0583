"""The offline copy, derived from the online build instead of a second `mkdocs build` with OFFLINE=true.

Material's offline plugin (material/plugins/offline/plugin.py) changes two things in a build:
`use_directory_urls: false`, and an iframe-worker shim in `extra.polyfills` (which the hooks remove again:
no page needs a worker; its search-index step finds no search/search_index.json, our search being the site's
own). So the offline build is the online one with every page at its file path (documents/x/index.html ->
documents/x.html; an index.md stays index.html) and every URL the theme or Markdown wrote relative to a page
written from the page's new place, to the target's offline URL. That is all this module does, page by page:

- href=, src=, action= and data-opencc= of every tag: a page's directory URL (documents/x/, ../.. for the
  home page) becomes its .html file; a file's URL is re-based; absolute URLs, #fragments alone and
  `mailto:` are left as they are. 404.html (site-root URLs, under site_url's path) likewise.
- The base of the page (data-base=, `__md_scope=new URL(…)`, the "base" and "search" of Material's
  __config) and `data-directory-urls` of the search box (overrides/partials/archive-search.html).
- The Content-Security-Policy <meta> is computed again (mkdocs_hooks.with_csp): the theme's inline scripts
  name the base, so their hashes change.

Every other file (assets, data/, search/, sitemap.xml: canonical directory URLs in both builds) is the same
in both builds and is hard-linked (copied where a link is impossible). tests/publish/test_offline.py checks
that the copy is byte for byte what the second MkDocs build writes.
"""
from __future__ import annotations

import os
import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from . import mkdocs_hooks

# A start tag that has one of the URL attributes (values in double quotes, as the theme and Markdown write
# them; text never holds a "<", Markdown escapes it).
URL_TAG = re.compile(r'<[a-zA-Z][^<>]*?\s(?:href|src|action|data-opencc)="[^"<>]*"[^<>]*>')
URL_ATTR = re.compile(r'(\s(?:href|src|action|data-opencc)=")([^"<>]*)(")')
BASE_ATTR = re.compile(r'(\sdata-base=")([^"]*)(")')
MD_SCOPE = re.compile(r'(__md_scope=new URL\(")([^"]*)(",location\))')
CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
CONFIG_URL = re.compile(r'("(?:base|search)": ")([^"]*)(")')
CSP_META = re.compile(r'\n    <meta http-equiv="Content-Security-Policy" content="[^"]*">')
NOT_RELATIVE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#|$)")  # a scheme, a network path, a fragment


class OfflineError(RuntimeError):
    pass


def page_urls(docs_dir: Path, site: Path) -> dict[str, tuple[str, str, str]]:
    """{online destination of a page (documents/x/index.html): (online URL, offline URL, offline
    destination)} for every Markdown page of docs_dir that the online build wrote, by MkDocs' own rules."""
    out = {}
    for path in sorted(docs_dir.rglob("*.md")):
        src = path.relative_to(docs_dir).as_posix()
        online = File(src, str(docs_dir), str(site), use_directory_urls=True)
        offline = File(src, str(docs_dir), str(site), use_directory_urls=False)
        if (site / online.dest_uri).is_file():
            out[online.dest_uri] = (online.url, offline.url, offline.dest_uri)
    return out


class Rewriter:
    """The URL of a target, as the offline build writes it on a given page."""

    def __init__(self, pages: dict[str, tuple[str, str, str]], site_path: str):
        # online directory URL of a page, without its slash ("" the home page) -> its offline URL
        self.dirs = {_strip(online): offline for online, offline, _ in pages.values()}
        self.files = {dest: offline for dest, (_, offline, _) in pages.items()}
        self.site_path = site_path  # site_url's path ("/"), the base of 404.html's URLs

    def target(self, path: str) -> str:
        """A site-relative online path (a trailing slash: a directory) -> its offline URL."""
        directory = path.endswith("/") or path == "" or path.endswith("/.") or path.endswith("/..") or path in (".", "..")
        norm = posixpath.normpath("/" + path).lstrip("/")
        if directory:
            if norm in self.dirs:
                return self.dirs[norm]
            return norm + "/" if norm else "./"
        return self.files.get(norm, norm)

    def url(self, value: str, online_dir: str, offline_page: str | None) -> str:
        """An href/src value of a page (online in `online_dir`) as written on the offline page
        (`offline_page` its URL; None for 404.html, whose URLs start at site_url's path)."""
        if NOT_RELATIVE.match(value):
            return value
        parts = urlsplit(value)
        suffix = value[len(parts.path):]  # ?query#fragment
        if parts.path.startswith("/"):
            if not parts.path.startswith(self.site_path):
                return value
            target = self.target(parts.path[len(self.site_path):])
            return posixpath.join(self.site_path, target) + suffix
        if offline_page is None:
            raise OfflineError(f"a relative URL {value!r} in 404.html")
        target = self.target(posixpath.join(online_dir, parts.path) if parts.path else online_dir + "/")
        return get_relative_url(target, offline_page) + suffix


def rewrite_page(text: str, rewriter: Rewriter, online_dir: str, offline_page: str | None, name: str) -> str:
    """One page of the online build as the offline build writes it."""
    def attrs(match: re.Match) -> str:
        return URL_ATTR.sub(lambda m: m[1] + rewriter.url(m[2], online_dir, offline_page) + m[3], match[0])

    base = get_relative_url(".", offline_page) if offline_page is not None else None
    text = URL_TAG.sub(attrs, text)
    if base is not None:
        text = BASE_ATTR.sub(lambda m: m[1] + base + m[3], text)
        text = MD_SCOPE.sub(lambda m: m[1] + base + m[3], text)

    def config(match: re.Match) -> str:
        def value(m: re.Match) -> str:
            if m[1].startswith('"base"'):
                return m[1] + (base if base is not None else m[2]) + m[3]
            return m[1] + rewriter.url(m[2], online_dir, offline_page) + m[3]
        return match[1] + CONFIG_URL.sub(value, match[2]) + match[3]
    text = CONFIG.sub(config, text, count=1)
    text = text.replace('data-directory-urls="true"', 'data-directory-urls="false"', 1)
    without, count = CSP_META.subn("", text, count=1)
    if count != 1:
        raise OfflineError(f"{name}: no Content-Security-Policy <meta> to compute again")
    return mkdocs_hooks.with_csp(without, name)


def derive(site: Path, out: Path, docs_dir: Path, site_url: str) -> int:
    """Write into `out` the offline copy of the online build in `site` (docs_dir: the pages' sources);
    the number of pages rewritten."""
    pages = page_urls(docs_dir, site)
    site_path = urlsplit(site_url).path or "/"
    rewriter = Rewriter(pages, site_path if site_path.endswith("/") else site_path + "/")
    rewritten = 0
    for path in sorted(site.rglob("*")):
        if path.is_dir():
            continue
        rel = path.relative_to(site).as_posix()
        if rel in pages:
            online_url, offline_url, dest = pages[rel]
            online_dir = _strip(online_url)
            name, offline_page = offline_url, offline_url
        elif rel == "404.html":
            dest, online_dir, name, offline_page = rel, "", rel, None
        else:
            _link(path, out / rel)
            continue
        text = rewrite_page(path.read_text(encoding="utf-8"), rewriter, online_dir, offline_page, name)
        target = out / dest
        if target.exists():
            raise OfflineError(f"{dest}: two pages of the offline copy at one path")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        rewritten += 1
    return rewritten


def _strip(url: str) -> str:
    """An online page URL as a directory path without its slash: "" for the home page ("./" or "")."""
    return posixpath.normpath("/" + url).lstrip("/")


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
