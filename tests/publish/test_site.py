"""The built site: citations, meta tags, provenance and the search index (mkdocs build --strict)."""
from __future__ import annotations

import json
import re

from tests.publish.test_search_index import data_of

DOC = "004-c74ad4d4a80dbc28"


def test_document_page_has_citation_block_and_meta_tags(site):
    _, out = site
    page = (out / "documents" / DOC / "index.html").read_text(encoding="utf-8")
    url = f"http://127.0.0.1:8000/documents/{DOC}/"
    assert f"中共秦皇岛市委组织部. 浙江三市学习考察报告[R/OL]. [秦皇岛市]: 中共秦皇岛市委组织部, [2003][引用日期]. {url}" in page
    assert "中共秦皇岛市委组织部. “浙江三市学习考察报告.” 考察报告. [秦皇岛市]: 中共秦皇岛市委组织部, [2003年]. 组织工作文献档案馆" in page
    for name, value in [("citation_title", "浙江三市学习考察报告"), ("citation_author", "中共秦皇岛市委组织部"),
                        ("citation_publication_date", "2003"), ("DC.identifier", url), ("DC.coverage", "秦皇岛市"),
                        ("citation_technical_report_institution", "中共秦皇岛市委组织部")]:
        assert f'<meta name="{name}" content="{value}">' in page
    assert f'<link rel="canonical" href="{url}">' in page


def test_citation_downloads_carry_the_stable_url(site):
    _, out = site
    url = f"http://127.0.0.1:8000/documents/{DOC}/"
    bib = (out / "data" / "cite" / f"{DOC}.bib").read_text(encoding="utf-8")
    assert bib.startswith(f"@techreport{{{DOC},") and f"url = {{{url}}}" in bib
    ris = (out / "data" / "cite" / f"{DOC}.ris").read_text(encoding="utf-8")
    assert ris.startswith("TY  - RPRT\n") and f"UR  - {url}\n" in ris and ris.endswith("ER  - \n")
    csl = json.loads((out / "data" / "cite" / f"{DOC}.json").read_text(encoding="utf-8"))
    assert csl[0]["URL"] == url and csl[0]["issued"] == {"date-parts": [[2003]], "approximate": True}


def test_provenance_panel_links_resolve(site):
    _, out = site
    page = (out / "documents" / DOC / "index.html").read_text(encoding="utf-8")
    panel = page.split('id="来源与校验"')[1].split("</table>")[0]
    links = re.findall(r'href="([^"#]+)"', panel)
    assert len(links) == 3
    for link in links:
        assert (out / "documents" / DOC / link).resolve().is_file(), link


def test_search_index_is_the_archives_own_and_holds_every_paragraph(site):
    """Material's search plugin is off; the pipeline's index (publish/search_index.py) is published under
    search/ with the results page, and every paragraph of every document is in its passages."""
    project, out = site
    assert not (out / "search" / "search_index.json").exists()
    assert (out / "search" / "index.html").is_file() and (out / "search" / "meta.js").is_file()
    passages = "".join(json.dumps(data_of(p.read_bytes()), ensure_ascii=False) for p in (out / "search" / "t").glob("*.js"))
    corpus = (project / "docs" / "data" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    for paragraph in map(json.loads, corpus):  # every paragraph the archive exports, with its anchor
        assert json.dumps(paragraph["text"], ensure_ascii=False)[1:-1] in passages, paragraph["text"][:30]


def test_navigation_does_not_grow_with_the_documents(site):
    """Document and index pages are not_in_nav and navigation.prune is on: the primary navigation of every
    page is the ten hand-written sections, so a page's size does not grow with the number of documents
    (without this, every page would carry a link to every other page)."""
    _, out = site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        html = page.read_text(encoding="utf-8")
        nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', html, re.S)
        if nav is None:  # 404 and redirect pages
            continue
        # The page's own table of contents (in-page #anchors) is part of the primary nav on small screens.
        links = [link for link in re.findall(r'<a [^>]*href="([^"]+)"', nav.group(0)) if "#" not in link]
        assert len(links) <= 12, (page, links)
        assert not any("documents/0" in link for link in links), page
