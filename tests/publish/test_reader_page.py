"""Issue 17, the reader's page: 引用本文 and 来源与校验 near the title and in the table of contents, the
校勘记 after the text with substantive emendations first and routine ones folded into one counted row."""
from __future__ import annotations

import re

DOC = "004-c74ad4d4a80dbc28"


def _html(site, doc=DOC):
    _, out = site
    return (out / "documents" / doc / "index.html").read_text(encoding="utf-8")


def test_citation_and_provenance_come_before_the_text_and_are_in_the_toc(site):
    page = _html(site)
    cite, provenance, first = page.index('id="引用"'), page.index('id="来源与校验"'), page.index('id="p1"')
    apparatus = page.index('id="校勘记"')
    assert cite < provenance < first < apparatus
    assert page.index('id="cite-gbt7714"') < first
    toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', page)
    assert toc[:2] == ["引用", "来源与校验"] and toc[-1] == "校勘记"


def test_every_document_page_has_the_two_sections(site):
    _, out = site
    for path in sorted((out / "documents").glob("0*/index.html")):
        page = path.read_text(encoding="utf-8")
        assert 'id="引用"' in page and 'id="来源与校验"' in page and "archive-slot" not in page, path


def test_apparatus_lists_substantive_emendations_first_and_folds_the_routine_ones(site):
    page = _html(site)
    apparatus = page[page.index('id="校勘记"'):]
    rows = re.findall(r'<tr id="e(\d+)"><td>\d+</td><td>([^<]+)</td>', apparatus)
    assert len(rows) == 911
    kinds = [kind for _, kind in rows]
    first_pinyin = kinds.index("删除注音")
    assert set(kinds[:first_pinyin]) == {"字节错位复原", "缺字"} and set(kinds[first_pinyin:]) == {"删除注音"}
    folded = re.search(r'<tr class="apparatus-routine"><td colspan="6"><details><summary>删除注音 ×904', apparatus)
    assert folded and apparatus.index("<details>") < apparatus.index('id="e1"')
    # The numbers are the ones the marks in the text carry.
    assert '<tr id="e905"><td>905</td><td>字节错位复原</td><td>?shù)亟M</td>' in apparatus
