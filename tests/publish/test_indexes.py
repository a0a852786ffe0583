"""Archive structure: city, year, topic, genre and cited-document indexes, cross-links and exports."""
from __future__ import annotations

import csv
import json
import re

import yaml

from build_tools import vocab
from build_tools.describe import places

LINK = re.compile(r"\]\(\.\./documents/(?P<id>[^)#]+)\.md(?:#(?P<anchor>[^)]+))?\)")


def anchors_of(page: str) -> set[str]:
    return set(re.findall(r"\{:? ?#([^ }]+) ?\}", page))


def read(docs, path: str) -> str:
    return (docs / path).read_text(encoding="utf-8")


def test_every_document_is_in_its_city_year_and_genre_index(built, pages):
    _, docs = built
    genres = {g["label"]: g["slug"] for g in vocab.genres()}
    for doc_id, (meta, _) in pages.items():
        city = places.resolve(meta["place"])[0]["slug"]
        year = (meta["date"].get("value") or "")[:4] or "unknown"  # a document with no date: years/unknown.md
        for path in (f"cities/{city}.md", f"years/{year}.md", f"genres/{genres[meta['genre']]}.md"):
            assert f"](../documents/{doc_id}.md)" in read(docs, path), (doc_id, path)


def test_index_links_point_to_existing_pages_and_anchors(built):
    _, docs = built
    page_anchors = {p.stem: anchors_of(p.read_text(encoding="utf-8")) for p in (docs / "documents").glob("*.md")}
    checked = 0
    for folder in ("cities", "years", "topics", "genres", "cited"):
        for path in (docs / folder).glob("*.md"):
            for match in LINK.finditer(path.read_text(encoding="utf-8")):
                assert match["id"] in page_anchors, (path, match.group(0))
                if match["anchor"]:
                    assert match["anchor"] in page_anchors[match["id"]], (path, match.group(0))
                    checked += 1
    assert checked > 100


def test_training_and_talent_topics_span_four_documents(built):
    _, docs = built
    for slug in ("cadre-training", "talent"):
        ids = {m["id"] for m in LINK.finditer(read(docs, f"topics/{slug}.md")) if m["anchor"]}
        assert len(ids) >= 4, (slug, ids)


def test_topic_pages_show_trigger_terms_and_are_grouped_by_city(built):
    _, docs = built
    page = read(docs, "topics/cadre-training.md")
    assert page.startswith("# 干部教育培训")
    assert "触发词：" in page and "干部教育培训×" in page
    assert "## 如皋市" in page and "## 潍坊市" in page


def test_study_report_is_under_its_author_city_and_its_subject_cities(built):
    _, docs = built
    link = "](../documents/004-c74ad4d4a80dbc28.md)"
    author = read(docs, "cities/qinhuangdao.md")
    assert link in author.split("## 以本地为考察对象的文献")[0]
    for city in ("ningbo", "wenzhou", "shaoxing"):
        page = read(docs, f"cities/{city}.md")
        assert "## 以本地为考察对象的文献" in page
        assert link in page.split("## 以本地为考察对象的文献")[1].split("## 提及本地的段落")[0]


def test_cities_index_is_grouped_by_province(built):
    _, docs = built
    index = read(docs, "cities/index.md")
    assert index.index("## 江苏省") < index.index("[如皋市](rugao.md)") < index.index("## 山东省")


def test_cited_documents_are_indexed_with_their_passages(built):
    _, docs = built
    page = read(docs, "cited/index.md")
    assert "## 《干部任用条例》" in page
    assert "../documents/002-ea8f1b29854c3300.md#" in page.split("## 《干部任用条例》")[1].split("## ")[0]


def test_document_pages_link_to_their_indexes_and_related_documents(pages):
    _, body = pages["004-c74ad4d4a80dbc28"]
    related = body.split("## 索引与关联")[1].split("## 校勘记")[0]
    assert "[秦皇岛市](../cities/qinhuangdao.md)" in related
    assert "[2003年（推断）](../years/2003.md)" in related
    assert "(../genres/study-tour-report.md)" in related
    assert "[人才工作](../topics/talent.md)" in related
    assert "**主题相近的文献**" in related and "**同一主题在其他地方**" in related


def test_exports_parse_and_match_the_pages(built, pages):
    _, docs = built
    rows = list(csv.DictReader(read(docs, "data/catalog.csv").splitlines()))
    catalog = json.loads(read(docs, "data/catalog.json"))
    assert [r["id"] for r in rows] == [c["id"] for c in catalog] == sorted(pages)
    for row, entry in zip(rows, catalog):
        meta, _ = pages[row["id"]]
        assert row["title"] == entry["title"] == meta["title"]
        assert row["city"] == meta["place"]["city"]
        assert [t for t in row["topics"].split(";") if t] == entry["topics"]  # a document may have no topic
    corpus = [json.loads(line) for line in read(docs, "data/corpus.jsonl").splitlines()]
    for doc_id, (_, body) in pages.items():
        paragraphs = [c for c in corpus if c["id"] == doc_id]
        page_paragraphs = re.findall(r"\n(.+)\n\{: #(p\d+) \}", body)
        assert [c["anchor"] for c in paragraphs] == [a for _, a in page_paragraphs]
        clean = read(docs, f"data/clean/{doc_id}.txt")
        assert all(c["text"] in clean for c in paragraphs)


def test_home_page_has_counts_and_static_charts(site):
    project, out = site
    home = (out / "index.html").read_text(encoding="utf-8")
    documents = len([p for p in (project / "docs" / "documents").glob("*.md") if p.name != "index.md"])
    assert f"本馆现藏文献 <strong>{documents}</strong> 篇" in home
    for svg in ("timeline.svg", "matrix.svg"):  # still published (locked URLs), and linked from the home page
        data = (out / "data" / svg).read_text(encoding="utf-8")
        assert data.startswith("<svg") and "<script" not in data and "http://www.w3.org/2000/svg" in data
        assert "<desc>" in data and "chart-link" not in data
        assert f'href="data/{svg}"' in home
    assert "<title>2004年：1 篇</title>" in (out / "data" / "timeline.svg").read_text(encoding="utf-8")


def test_home_charts_are_inline_labelled_and_linked(site, bundle):
    """The two charts are SVG in the page: named by their <title>, described by their <desc>, each in a
    focusable scrolling region; every year bar with documents, every place and topic label and every cell
    with a count is a link to its index page, in the URL form of each build."""
    _, out = site
    for home, ext in ((out / "index.html", "/"), (bundle["zip"] / "index.html", ".html")):
        text = home.read_text(encoding="utf-8")
        assert "<img" not in text.split('class="archive-chart')[1].split("</figure>")[0]
        for ident in ("chart-timeline", "chart-matrix"):
            svg = re.search(rf'<svg [^>]*aria-labelledby="{ident}-title" aria-describedby="{ident}-desc"[^>]*>', text)
            assert svg and 'viewBox="0 0 ' in svg[0], ident
            assert f'<title id="{ident}-title">' in text and f'<desc id="{ident}-desc">' in text
        assert text.count('<div class="archive-chart__scroll" tabindex="0" role="region" aria-label=') == 2
        links = re.findall(r'<a class="chart-link" href="([^"]+)" aria-label="([^"]+)"', text)
        hrefs = {h for h, _ in links}
        for year in ("2003", "2004", "2006", "2007", "2013"):
            assert f"years/{year}{ext}" in hrefs
        assert not any("2005" in h for h in hrefs)  # no documents, no page, no link
        assert f"cities/weifang{ext}" in hrefs and f"topics/cadre-training{ext}" in hrefs
        cells = [(h, label) for h, label in links if " × " in label]
        assert len(cells) >= 40 and all(h.startswith("topics/") for h, _ in cells)
        assert any(h == f"topics/cadre-training{ext}#潍坊市" for h, _ in cells)
        for href, _ in links:  # every link opens a page of this build
            target = out / href.split("#")[0] if ext == "/" else bundle["zip"] / href.split("#")[0]
            assert (target / "index.html" if ext == "/" else target).is_file(), href


def test_index_slugs_come_from_the_vocabularies(built):
    _, docs = built
    topics = yaml.safe_load((vocab.RULES / "topics.yml").read_text(encoding="utf-8"))["topics"]
    assert sorted(p.stem for p in (docs / "topics").glob("*.md")) == sorted(["index", *(t["slug"] for t in topics)])
    assert 15 <= len(topics) <= 25



def test_a_document_placed_in_a_province_has_the_province_page():
    """A document placed in a province (浙江) links to cities/zhejiang.md from its page and from the home
    page's matrix, so the province has a page; a province only mentioned or visited has none. (Without it,
    the MkDocs build of the 1,000-document bench corpus failed on these links.)"""
    from build_tools.publish import indexes
    from build_tools.publish.corpus import Doc
    from build_tools.publish.related import related_block

    def doc(ident: str, place: dict, city: str, subjects=()) -> Doc:
        meta = {"place": place, "genre": "其他", "subject_places": list(subjects)}
        return Doc(ident, ident, meta, city, "2004", False, "other", [], [], [], "")
    docs = [doc("a", {"city": "浙江", "province": "浙江省"}, "浙江"),
            doc("b", {"city": "宁波", "province": "浙江省"}, "宁波", [{"city": "江苏", "province": "江苏省"}])]
    pages = indexes.city_pages(docs)
    assert "cities/zhejiang.md" in pages and "cities/jiangsu.md" not in pages
    assert "[浙江省](zhejiang.md)" in pages["cities/index.md"].decode("utf-8")
    assert indexes.city_slugs(docs) == {"浙江": "zhejiang", "宁波": "ningbo"}
    assert "(../cities/zhejiang.md)" in related_block(docs[0], docs)


def test_a_long_review_list_is_split_into_pages_of_bounded_size():
    """待核清单 at archive scale: split like the index pages (issue 15: no page over about 200 KB), the first
    page at its stable URL, every document listed once, links right from the following pages."""
    from types import SimpleNamespace

    from build_tools.publish import indexes
    from build_tools.publish.output import review_pages

    built = [SimpleNamespace(meta={"id": f"{n:05d}", "title": f"第{n}号文献：关于加强基层组织建设的调研报告" * 2},
                             inferred=["date", "place"], to_review=n % 3, suspicious=[], truncation_marked=False)
             for n in range(3000)]
    files = review_pages(built)
    assert "review/index.md" in files and "review/index/2.md" in files
    assert all(len(data) <= indexes.PAGE_BYTES + 50_000 for data in files.values())
    text = "\n".join(data.decode("utf-8") for data in files.values())
    assert all(text.count(f"documents/{n:05d}.md)") == 1 for n in range(3000))
    assert "](../../documents/02999.md)" in files[max(files, key=lambda f: (len(f), f))].decode("utf-8")
    small = review_pages(built[:3])
    assert list(small) == ["review/index.md"] and b"| --- | --- |" in small["review/index.md"]
