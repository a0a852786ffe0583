"""Stable URLs: every published page URL and every anchor of a document page is recorded in a lock file
(build_tools/rules/url-lock.txt, committed). A build fails when a locked URL disappears without a redirect
(build_tools/rules/redirects.yml: old URL -> new URL). A page redirect becomes a static HTML page at the
old address; an anchor redirect becomes an empty element with the old id just before the new anchor.
`python -m build_tools lock` adds the URLs of the current build to the lock (it never removes one).
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

from .. import vocab
from ..errors import SourceError
from .citation import FILES as CITATION_FILES

RULES = vocab.RULES
LOCK_FILE = RULES / "url-lock.txt"
REDIRECTS_FILE = RULES / "redirects.yml"
SEARCH_INDEX = "search/"  # publish/search_index.py writes the index under docs/search/
ANCHOR = re.compile(r"\{:? ?#([^\s}]+) ?\}")
LOCK_HEADER = ("# Every published URL (relative to site_url) and document anchor. Never delete a line: a URL\n"
               "# that moves gets a redirect in redirects.yml. Add new ones with `python -m build_tools lock`.\n")


def page_url(path: str) -> str:
    """docs path -> URL with use_directory_urls (index.md -> its folder)."""
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5] or "./"
    return stem + "/"


def published(files, handwritten: list[str], anchors: dict[str, list[str]] | None = None) -> set[str]:
    """Page URLs of generated and hand-written Markdown, anchors of document pages, every generated data
    file (raw and cleaned texts, edit logs, exports) and the citation files the site adds per document. The
    search index's files (search/) are the search page's internals, not addresses anyone cites. `files`:
    {path: bytes}, or only the paths with `anchors`, {document page: its anchors}."""
    urls = set()
    for path in [*files, *handwritten]:
        if path == "data/overview.md" or path.startswith(SEARCH_INDEX) and not path.endswith(".md"):
            continue
        if not path.endswith(".md"):
            urls.add(path)
            continue
        url = page_url(path)
        urls.add(url)
        if path.startswith("documents/") and path in files and path != "documents/index.md":
            found = anchors[path] if anchors is not None else ANCHOR.findall(files[path].decode("utf-8"))
            urls.update(f"{url}#{anchor}" for anchor in found)
            urls.update(f"data/cite/{path[len('documents/'):-3]}.{ext}" for ext in CITATION_FILES)
    return urls


def load_lock(lock_file: Path = LOCK_FILE) -> set[str]:
    if not lock_file.exists():
        return set()
    return {line.strip() for line in lock_file.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def load_redirects() -> dict[str, str]:
    data = yaml.safe_load(REDIRECTS_FILE.read_text(encoding="utf-8")) if REDIRECTS_FILE.exists() else None
    return dict((data or {}).get("redirects") or {})


def check(urls: set[str], lock_file: Path = LOCK_FILE) -> list[SourceError]:
    redirects = load_redirects()
    errors = []
    for url in sorted(load_lock(lock_file) - urls):
        if url not in redirects:  # a redirect's target is checked where it is applied (apply_redirects)
            errors.append(SourceError(lock_file, f"published URL '{url}' disappeared: restore it or add a redirect "
                                                 f"to {REDIRECTS_FILE.name}"))
    return errors


def apply_redirects(files: dict[str, bytes], urls: set[str]) -> list[SourceError]:
    """Write redirect pages and anchor aliases into the generated files (only for URLs that are gone); a
    redirect whose target does not exist is an error naming redirects.yml."""
    errors = []
    for old, new in sorted(load_redirects().items()):
        if old in urls:
            continue
        if new not in urls:
            errors.append(SourceError(REDIRECTS_FILE, f"redirect '{old}' -> '{new}': target does not exist"))
            continue
        old_page, _, old_anchor = old.partition("#")
        new_page, _, new_anchor = new.partition("#")
        if old_anchor and old_page == new_page:
            path = next(p for p in files if p.endswith(".md") and page_url(p) == new_page)
            text = files[path].decode("utf-8")
            line = next(l for l in text.split("\n") if re.search(r"#" + re.escape(new_anchor) + r" ?\}", l))
            block_start = text.rfind("\n\n", 0, text.index(line)) + 2 if line.startswith("{:") else text.index(line)
            text = text[:block_start] + f'<span id="{html.escape(old_anchor)}"></span>\n\n' + text[block_start:]
            files[path] = text.encode("utf-8")
        else:
            depth = old_page.rstrip("/").count("/") + 1
            target = "../" * depth + new
            files[f"{old_page.rstrip('/')}/index.html"] = (
                f'<!doctype html><meta charset="utf-8">'
                f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'"><title>已迁移</title>'
                f'<link rel="canonical" href="{html.escape(target)}">'
                f'<meta http-equiv="refresh" content="0; url={html.escape(target)}">'
                f'<p>本页已迁移至 <a href="{html.escape(target)}">{html.escape(new)}</a>。</p>\n').encode("utf-8")
    return errors


def write_lock(urls: set[str], lock_file: Path = LOCK_FILE) -> int:
    """Add `urls` to the lock; return how many were new."""
    locked = load_lock(lock_file)
    lock_file.write_text(LOCK_HEADER + "".join(f"{u}\n" for u in sorted(locked | urls)), encoding="utf-8")
    return len(urls - locked)
