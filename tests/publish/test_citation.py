"""Citations per genre (publish/citation.py): item types as Zotero's Embedded Metadata translator and
Google Scholar read them, one creator per person, dates at their precision, inferred values and supplied
titles bracketed, and the five formats agreeing with each other."""
from __future__ import annotations

import json

import pytest

from build_tools.publish import citation

URL = "https://example.org/documents/x/"
SITE = "组织工作文献档案馆"


def meta(**changes):
    base = {"id": "x", "title": "题名", "genre": "讲话", "issuing_body": "中共某市委组织部",
            "place": {"city": "某市", "province": "某省", "level": "地级市"},
            "date": {"value": "2007-08-03", "precision": "day", "inferred": False}}
    base.update(changes)
    return base


YEARBOOK = meta(genre="年鉴条目", title="绍兴市组织工作（2004年）", title_supplied=True,
                authors=[{"name": "章福宝"}, {"name": "余一苗"}], author="章福宝、余一苗（各条目署名）",
                date={"value": "2004", "precision": "year", "inferred": False},
                container={"title": "绍兴年鉴", "inferred": True, "evidence": "据题材推定"})
REPORT = meta(genre="考察报告", date={"value": "2003", "precision": "year", "inferred": True, "evidence": "据内容推定"},
              place={"city": "秦皇岛市", "province": "河北省", "level": "地级市", "evidence": "据文末推定"})
SPEECH = meta(author="某市委组织部部长（姓名原文未载）")


def tags(m):
    return citation.meta_tags(m, URL, SITE)


def test_yearbook_entry_is_a_book_section_of_its_yearbook():
    t = tags(YEARBOOK)
    assert ("citation_inbook_title", "绍兴年鉴") in t and ("citation_book_title", "绍兴年鉴") in t
    assert [v for k, v in t if k == "citation_author"] == ["章福宝", "余一苗"]  # one per person, no note
    assert not any(k == "citation_journal_title" for k, _ in t)
    assert citation.gbt7714(YEARBOOK, URL, SITE) == (
        f"章福宝, 余一苗. [绍兴市组织工作（2004年）][M/OL]//[绍兴年鉴]. [出版地不详]: [出版者不详], [出版年不详](2004)"
        f"[引用日期]. {URL}.")
    assert citation.bibtex(YEARBOOK, URL, SITE).startswith("@incollection{x,\n  author = {{章福宝} and {余一苗}},")
    assert "booktitle = {[绍兴年鉴]}" in citation.bibtex(YEARBOOK, URL, SITE)
    ris = citation.ris(YEARBOOK, URL, SITE)
    assert ris.startswith("TY  - CHAP\nAU  - 章福宝\nAU  - 余一苗\n") and "T2  - [绍兴年鉴]\n" in ris and "DA  - 2004///\n" in ris
    csl = json.loads(citation.csl_json(YEARBOOK, URL, SITE))[0]
    assert csl["type"] == "chapter" and csl["container-title"] == "[绍兴年鉴]" and csl["issued"] == {"date-parts": [[2004]]}
    assert csl["author"] == [{"literal": "章福宝"}, {"literal": "余一苗"}]


def test_report_is_a_report_of_its_issuing_body_with_the_inferred_values_bracketed():
    t = tags(REPORT)
    assert ("citation_technical_report_institution", "中共某市委组织部") in t
    assert ("citation_publication_date", "2003") in t
    assert citation.gbt7714(REPORT, URL, SITE) == f"中共某市委组织部. 题名[R/OL]. [秦皇岛市]: 中共某市委组织部, [2003][引用日期]. {URL}."
    assert "[2003年]" in citation.chicago(REPORT, URL, SITE)
    bib = citation.bibtex(REPORT, URL, SITE)
    assert bib.startswith("@techreport{x,") and "institution = {中共某市委组织部}" in bib and "note = {日期为推断}" in bib
    ris = citation.ris(REPORT, URL, SITE)
    assert ris.startswith("TY  - RPRT\n") and "PB  - 中共某市委组织部\n" in ris and "PB  - 组织工作文献档案馆" not in ris
    csl = json.loads(citation.csl_json(REPORT, URL, SITE))[0]
    assert csl["type"] == "report" and csl["publisher"] == "中共某市委组织部" and csl["issued"]["approximate"] is True


def test_speech_keeps_its_full_date_and_never_names_a_note_as_its_author():
    t = tags(SPEECH)
    assert not any(k.startswith("citation_") for k, _ in t)  # no bare citation_title: Zotero would guess a journal article
    assert ("DC.type", "Speech") in t and ("DC.date", "2007-08-03") in t and ("DC.creator", "中共某市委组织部") in t
    assert all("未载" not in v for _, v in t)
    assert citation.gbt7714(SPEECH, URL, SITE) == f"中共某市委组织部. 题名[EB/OL]. (2007-08-03)[引用日期]. {URL}."
    assert "2007年8月3日" in citation.chicago(SPEECH, URL, SITE)
    assert "date = {2007-08-03}" in citation.bibtex(SPEECH, URL, SITE)
    assert "DA  - 2007/08/03/\n" in citation.ris(SPEECH, URL, SITE)
    csl = json.loads(citation.csl_json(SPEECH, URL, SITE))[0]
    assert csl["type"] == "speech" and csl["issued"] == {"date-parts": [[2007, 8, 3]]}


@pytest.mark.parametrize("m", [YEARBOOK, REPORT, SPEECH, meta(genre="其他", date={"precision": "unknown"})])
def test_formats_agree(m):
    csl = json.loads(citation.csl_json(m, URL, SITE))[0]
    bib, ris = citation.bibtex(m, URL, SITE), citation.ris(m, URL, SITE)
    names = [a["literal"] for a in csl["author"]]
    assert all(f"AU  - {n}\n" in ris for n in names) and all(f"{{{n}}}" in bib for n in names)
    assert f"TI  - {csl['title']}\n" in ris and f"title = {{{csl['title']}}}" in bib
    assert f"UR  - {URL}\n" in ris and f"url = {{{URL}}}" in bib and csl["URL"] == URL
    parts = csl.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        assert f"PY  - {parts[0]}\n" in ris and f"year = {{{parts[0]}}}" in bib
        assert "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)) in citation.gbt7714(m, URL, SITE)
    else:
        assert "PY  -" not in ris and "[出版年不详]" in citation.gbt7714(m, URL, SITE)
    assert "publisher-place" not in csl or csl.get("publisher") == m["issuing_body"]


def test_version_named_in_every_format_when_known():
    m = meta(version={"label": "v2（2025-01-02，sha256 abcdef12）", "date": "2025-01-02"})
    assert "（整理本v2（2025-01-02，sha256 abcdef12））" in citation.gbt7714(m, URL, SITE)
    assert "urldate = {2025-01-02}" in citation.bibtex(m, URL, SITE)
    assert "Y2  - 2025/01/02\n" in citation.ris(m, URL, SITE)
    assert json.loads(citation.csl_json(m, URL, SITE))[0]["version"].startswith("v2")
