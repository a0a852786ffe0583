"""MkDocs hooks (mkdocs.yml `hooks:`): citations on document pages, and the search index written as UTF-8.

- on_page_context: a page whose front matter has `provenance` (a document page) gets `page.meta.citation`:
  GB/T 7714 and Chicago strings, meta tags and the download links, all with the stable URL.
- on_post_build: writes the BibTeX, RIS and CSL-JSON files (site/data/cite/<id>.*), and rewrites Material's
  search_index.json with UTF-8 characters instead of \\u escapes (about half the size for Chinese).
"""
from __future__ import annotations

import json
from pathlib import Path

from build_tools import citation

_files: dict[str, str] = {}


def on_page_context(context, page, config, nav):
    meta = page.meta
    if "provenance" not in meta or "id" not in meta:
        return context
    url = page.canonical_url or page.abs_url or page.url
    site = config["site_name"]
    meta["citation"] = {
        "gbt7714": citation.gbt7714(meta, url, site),
        "chicago": citation.chicago(meta, url, site),
        "tags": citation.meta_tags(meta, url, site),
        "files": {ext: f"data/cite/{meta['id']}.{ext}" for ext in citation.FILES},
    }
    for ext, render in citation.FILES.items():
        _files[f"data/cite/{meta['id']}.{ext}"] = render(meta, url, site)
    return context


def on_post_build(config):
    site = Path(config["site_dir"])
    for name, text in sorted(_files.items()):
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    index = site / "search" / "search_index.json"
    if index.exists():
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
