"""Corpus-level pages, driven by the documents' metadata and classified sections: cities (grouped by
province), years (with a timeline), topics (every matching section, deep-linked), genres, cited documents,
the related-documents block of each document page, the home page overview with two static SVG charts,
and the data exports (catalog.csv, catalog.json, corpus.jsonl).

Every index URL uses a slug from a vocabulary file (gazetteer, topics, genres) or a year, so editing a
label never moves a URL. Input: the built documents; output: {path under docs/: bytes}.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from html import escape as html_escape

from . import vocab
from .classify import taxonomy
from .errors import SourceError
from .page import escape, format_date

DOCS = "../documents"


@dataclass
class Doc:
    """What the indexes need of one built document."""
    id: str
    title: str
    meta: dict
    city: str
    year: str  # "" when unknown
    year_inferred: bool
    genre_slug: str
    topics: list[str]
    sections: list[dict]
    paragraphs: list[dict]
    raw_sha256: str

    def link(self, prefix: str = DOCS, anchor: str = "") -> str:
        return f"[{escape(self.title)}]({prefix}/{self.id}.md{'#' + anchor if anchor else ''})"


def topic_labels() -> dict[str, str]:
    return {t["slug"]: t["label"] for t in taxonomy()["topics"]}


def genre_slugs() -> dict[str, str]:
    return {g["label"]: g["slug"] for g in vocab.genres()}


def place_slug(name: str, where) -> str:
    place = vocab.place_by_name().get(name)
    if not place:
        raise SourceError(where, f"place '{name}' is not in the gazetteer (add it to build_tools/rules/gazetteer.yml)")
    return place["slug"]


def cited_anchor(title: str) -> str:
    """A stable anchor for a cited title on the cited-documents page."""
    return "c-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:10]


def year_label(doc: Doc) -> str:
    return f"{doc.year}年" + ("（推断）" if doc.year_inferred else "") if doc.year else "年份不详"


def by_section_key(docs: list[Doc], field: str) -> dict[str, list[tuple[Doc, dict, object]]]:
    """{key: [(doc, section, value)]} for the keys of each section's `field` (a list, or a dict whose
    values come along)."""
    found = defaultdict(list)
    for doc in docs:
        for section in doc.sections:
            keys = section[field]
            for key in keys:
                found[key].append((doc, section, keys[key] if isinstance(keys, dict) else None))
    return found


def year_title(year: str) -> str:
    return f"{year}年" if year != "unknown" else "年份不详"


def _lines(*parts) -> bytes:
    return ("\n".join(parts).rstrip("\n") + "\n").encode("utf-8")


def _doc_item(doc: Doc, prefix: str = DOCS) -> str:
    return f"- {doc.link(prefix)}（{escape(doc.city)}，{year_label(doc)}，{escape(doc.meta['genre'])}）"


def city_pages(docs: list[Doc]) -> dict[str, bytes]:
    written, about = defaultdict(list), defaultdict(list)
    mentions = by_section_key(docs, "places")
    for doc in docs:
        if doc.city != "不详":
            written[doc.city].append(doc)
        county = doc.meta["place"].get("county")
        if county and county != doc.city:
            written[county].append(doc)
        for place in doc.meta.get("subject_places", []):
            about[place["city"]].append(doc)
    names = sorted(set(written) | set(about) | set(mentions),
                   key=lambda n: (vocab.place_by_name()[n].get("province", n), n))
    files, by_province = {}, defaultdict(list)
    for name in names:
        place = vocab.place_by_name()[name]
        if place["level"] == "省":
            continue
        province = place.get("province", name)
        by_province[province].append(name)
        out = [f"# {escape(name)}", "", f"{escape(province)}，{place['level']}"
               + (f"，属{escape(place['parent'])}" if place.get("parent") else ""), ""]
        if written[name]:
            out += ["## 本地文献", ""] + [_doc_item(d) for d in sorted(written[name], key=lambda d: (d.year, d.id))] + [""]
        if about[name]:
            out += ["## 以本地为考察对象的文献", ""] + [_doc_item(d) for d in sorted(about[name], key=lambda d: (d.year, d.id))] + [""]
        passages = mentions[name]
        if passages:
            out += [f"## 提及本地的段落（{len(passages)}）", ""]
            out += [f"- {d.link(DOCS, s['anchor'])} › {escape(s['title'])}" for d, s, _ in passages] + [""]
        files[f"cities/{place['slug']}.md"] = _lines(*out)
    out = ["# 地方", "", "按省份分组（顺序同地名词表）。每个地方页列出本地文献、以本地为考察对象的文献，以及提及本地的段落。", ""]
    order = {p["name"]: i for i, p in enumerate(vocab.places())}  # the gazetteer's order of provinces
    for province in sorted(by_province, key=lambda name: (order.get(name, len(order)), name)):
        out += [f"## {escape(province)}", ""]
        for name in by_province[province]:
            count = len(written[name]) + len(about[name])
            out.append(f"- [{escape(name)}]({vocab.place_by_name()[name]['slug']}.md)（文献 {count} 篇，"
                       f"提及段落 {len(mentions[name])} 处）")
        out.append("")
    files["cities/index.md"] = _lines(*out)
    return files


def year_pages(docs: list[Doc]) -> dict[str, bytes]:
    by_year = defaultdict(list)
    for doc in docs:
        by_year[doc.year or "unknown"].append(doc)
    files = {}
    for year, items in sorted(by_year.items()):
        out = [f"# {year_title(year)}", ""]
        if any(d.year_inferred for d in items):
            out += ["标“推断”的年份由整理者据正文推定，依据见各文献的元数据。", ""]
        out += [f"- {d.link()}（{escape(d.city)}，{escape(format_date(d.meta['date']))}"
                f"{'，推断' if d.year_inferred else ''}，{escape(d.meta['genre'])}）"
                for d in sorted(items, key=lambda d: (d.meta['date'].get('value') or '', d.id))]
        files[f"years/{year}.md"] = _lines(*out)
    out = ["# 年份", "", "![每年文献数](../data/timeline.svg)", "", "| 年份 | 文献 |", "| --- | --- |"]
    for year, items in sorted(by_year.items()):
        out.append(f"| [{year_title(year)}]({year}.md) | {'、'.join(d.link() for d in sorted(items, key=lambda d: d.id))} |")
    files["years/index.md"] = _lines(*out)
    return files


def topic_pages(docs: list[Doc]) -> dict[str, bytes]:
    hits = by_section_key(docs, "topics")
    for doc in docs:
        for slug in doc.meta.get("topics_add", []):
            hits[slug].append((doc, None, {}))
    files = {}
    for topic in taxonomy()["topics"]:
        slug = topic["slug"]
        items = hits.get(slug, [])
        docs_count = len({d.id for d, _, _ in items})
        out = [f"# {escape(topic['label'])}", "",
               f"关键词：{'、'.join(escape(k) for k in topic['keywords'])}", "",
               f"共 {len(items)} 个章节，出自 {docs_count} 篇文献。按地方、年份排列；每条注明触发归类的词。", ""]
        by_city = defaultdict(list)
        for doc, section, terms in items:
            by_city[doc.city].append((doc, section, terms))
        for city in sorted(by_city):
            out += [f"## {escape(city)}", ""]
            # by year, then the most relevant first: trigger hits, and whether the topic's terms are among
            # the section's TF-IDF keywords
            def relevance(item):
                doc, section, terms = item
                if section is None:
                    return (doc.year, 0, 0, doc.id, "")
                return (doc.year, -sum(terms.values()), -len(set(terms) & set(section["keywords"])), doc.id,
                        section["anchor"])
            for doc, section, terms in sorted(by_city[city], key=relevance):
                if section is None:
                    out.append(f"- {year_label(doc)} {doc.link()}（元数据手工归入）")
                    continue
                trigger = "、".join(f"{escape(t)}×{n}" for t, n in terms.items())
                out += [f"- {year_label(doc)} {doc.link(DOCS, section['anchor'])} › **{escape(section['title'])}**",
                        f"  <br>{escape(section['snippet'])}",
                        f"  <br><small>触发词：{trigger}；本节关键词（TF-IDF）：{'、'.join(escape(k) for k in section['keywords'])}</small>"]
            out.append("")
        files[f"topics/{slug}.md"] = _lines(*out)
    out = ["# 主题", "", "主题按章节（年鉴条目或提纲中的一节）归类，依据见 [关于数据](../about-data.md)。", "",
           "| 主题 | 章节 | 文献 |", "| --- | --- | --- |"]
    for topic in taxonomy()["topics"]:
        items = hits.get(topic["slug"], [])
        out.append(f"| [{escape(topic['label'])}]({topic['slug']}.md) | {len(items)} | {len({d.id for d, _, _ in items})} |")
    files["topics/index.md"] = _lines(*out)
    return files


def genre_pages(docs: list[Doc]) -> dict[str, bytes]:
    files = {}
    out = ["# 体裁", ""]
    for genre in vocab.genres():
        items = sorted((d for d in docs if d.genre_slug == genre["slug"]), key=lambda d: (d.year, d.id))
        files[f"genres/{genre['slug']}.md"] = _lines(f"# {escape(genre['label'])}", "", escape(genre["description"]),
                                                     "", *([_doc_item(d) for d in items] or ["（暂无）"]))
        out.append(f"- [{escape(genre['label'])}]({genre['slug']}.md)（{len(items)} 篇）：{escape(genre['description'])}")
    files["genres/index.md"] = _lines(*out)
    return files


def cited_page(docs: list[Doc]) -> dict[str, bytes]:
    cited = by_section_key(docs, "cited")
    out = ["# 引用文件", "", f"文献中以书名号引用的文件、法规与报刊，共 {len(cited)} 种（书名已规范：去空格、括号统一为全角）。", ""]
    for title in sorted(cited):
        out += [f"## 《{escape(title)}》 {{ #{cited_anchor(title)} }}", ""]
        out += [f"- {d.link(DOCS, s['anchor'])} › {escape(s['title'])}" for d, s, _ in cited[title]] + [""]
    return {"cited/index.md": _lines(*out)}


def related_block(doc: Doc, docs: list[Doc]) -> str:
    """Links from a document page to its indexes and to related documents."""
    labels = topic_labels()
    prefix = ".."
    out = ["", "## 索引与关联 { #索引与关联 }", ""]
    city_link = (f"[{escape(doc.city)}]({prefix}/cities/{place_slug(doc.city, doc.id)}.md)"
                 if doc.city != "不详" else "地方不详")
    out.append(f"- 地方：{city_link}")
    out.append(f"- 年份：[{year_label(doc)}]({prefix}/years/{doc.year or 'unknown'}.md)")
    out.append(f"- 体裁：[{escape(doc.meta['genre'])}]({prefix}/genres/{doc.genre_slug}.md)")
    if doc.topics:
        out.append("- 主题：" + "、".join(f"[{escape(labels[t])}]({prefix}/topics/{t}.md)" for t in doc.topics))
    others = [d for d in docs if d.id != doc.id]
    shared = sorted(((len(set(d.topics) & set(doc.topics)), d) for d in others), key=lambda x: (-x[0], x[1].id))
    shared = [(n, d) for n, d in shared if n][:5]
    if shared:
        out += ["", "**主题相近的文献**", ""]
        out += [f"- {d.link('.')}（共同主题 {n} 个）" for n, d in shared]
    for label, group in (("同一地方", [d for d in others if d.city == doc.city and doc.city != "不详"]),
                         ("同一年份", [d for d in others if d.year and d.year == doc.year])):
        if group:
            out += ["", f"**{label}的其他文献**", ""] + [f"- {d.link('.')}" for d in group]
    elsewhere = []
    for slug in doc.topics:
        cities = sorted({d.city for d in others if slug in d.topics and d.city != doc.city})
        if cities:
            elsewhere.append(f"- [{escape(labels[slug])}]({prefix}/topics/{slug}.md)：{'、'.join(escape(c) for c in cities)}")
    if elsewhere:
        out += ["", "**同一主题在其他地方**", ""] + elsewhere
    return "\n".join(out) + "\n"


def timeline_svg(docs: list[Doc]) -> bytes:
    counts = Counter(d.year for d in docs if d.year)
    if not counts:
        return _svg(200, 40, ['<text x="10" y="25">（暂无年份）</text>'])
    years = list(range(int(min(counts)), int(max(counts)) + 1))
    width, height, bar, top = 60 + 40 * len(years), 180, 28, max(counts.values())
    parts = []
    for i, year in enumerate(years):
        n = counts.get(str(year), 0)
        h = 110 * n / top
        x = 40 + i * 40
        parts.append(f'<rect x="{x}" y="{140 - h:.1f}" width="{bar}" height="{h:.1f}" fill="#3f51b5"><title>{year}年：{n} 篇</title></rect>')
        parts.append(f'<text x="{x + bar / 2}" y="158" text-anchor="middle" font-size="11">{year}</text>')
        if n:
            parts.append(f'<text x="{x + bar / 2}" y="{135 - h:.1f}" text-anchor="middle" font-size="11">{n}</text>')
    parts.append('<line x1="35" y1="140" x2="{}" y2="140" stroke="#888"/>'.format(width - 10))
    return _svg(width, height, parts, "每年文献数")


def matrix_svg(docs: list[Doc]) -> bytes:
    labels = topic_labels()
    cities = sorted({d.city for d in docs if d.city != "不详"})
    topics = [t["slug"] for t in taxonomy()["topics"]]
    cells = Counter()
    for doc in docs:
        for section in doc.sections:
            for slug in section["topics"]:
                cells[doc.city, slug] += 1
    top = max(cells.values(), default=1)
    left, cell, head = 110, 26, 150
    width, height = left + cell * len(topics) + 10, head + cell * len(cities) + 10
    parts = []
    for j, slug in enumerate(topics):
        x = left + j * cell + cell / 2
        parts.append(f'<text transform="translate({x},{head - 6}) rotate(-60)" font-size="11">{html_escape(labels[slug])}</text>')
    for i, city in enumerate(cities):
        y = head + i * cell
        parts.append(f'<text x="{left - 6}" y="{y + 17}" text-anchor="end" font-size="12">{html_escape(city)}</text>')
        for j, slug in enumerate(topics):
            n = cells.get((city, slug), 0)
            shade = 0.08 + 0.92 * n / top if n else 0
            parts.append(f'<rect x="{left + j * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                         f'fill="#3f51b5" fill-opacity="{shade:.2f}" stroke="#ddd">'
                         f'<title>{html_escape(city)} × {html_escape(labels[slug])}：{n} 个章节</title></rect>')
    return _svg(width, height, parts, "地方 × 主题（章节数）")


def _svg(width: int, height: int, parts: list[str], title: str = "") -> bytes:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" role="img">')
    return (head + (f"<title>{html_escape(title)}</title>" if title else "") + "".join(parts) + "</svg>\n").encode("utf-8")


def overview(docs: list[Doc]) -> bytes:
    """The generated part of the home page (included by docs/index.md)."""
    sections = sum(len(d.sections) for d in docs)
    cities = {d.city for d in docs if d.city != "不详"}
    years = sorted({d.year for d in docs if d.year})
    span = f"{years[0]}—{years[-1]} 年" if years else "年份不详"
    genres = Counter(d.meta["genre"] for d in docs)
    return _lines(
        f"本馆现藏文献 **{len(docs)}** 篇，来自 **{len(cities)}** 个地方，时间跨度 {span}，"
        f"分为 {sections} 个章节、{sum(len(d.paragraphs) for d in docs)} 个段落；体裁："
        + "、".join(f"{escape(g)} {n} 篇" for g, n in sorted(genres.items())) + "。", "",
        "**浏览入口**：[全部文献](documents/index.md) · [地方](cities/index.md) · [年份](years/index.md) · "
        "[主题](topics/index.md) · [体裁](genres/index.md) · [引用文件](cited/index.md) · [数据下载](about-data.md)", "",
        "![每年文献数](data/timeline.svg)", "", "![地方 × 主题](data/matrix.svg)")


CATALOG_FIELDS = ["id", "title", "genre", "city", "county", "province", "place_level", "subject_places", "date",
                  "date_precision", "date_inferred", "issuing_body", "topics", "sections", "paragraphs",
                  "raw_sha256", "page"]


def catalog_rows(docs: list[Doc]) -> list[dict]:
    rows = []
    for doc in docs:
        place, date = doc.meta["place"], doc.meta["date"]
        rows.append({
            "id": doc.id, "title": doc.title, "genre": doc.meta["genre"], "city": place["city"],
            "county": place.get("county", ""), "province": place["province"], "place_level": place["level"],
            "subject_places": [p["city"] for p in doc.meta.get("subject_places", [])],
            "date": date.get("value") or "", "date_precision": date["precision"], "date_inferred": doc.year_inferred,
            "issuing_body": doc.meta["issuing_body"], "topics": doc.topics, "sections": len(doc.sections),
            "paragraphs": len(doc.paragraphs), "raw_sha256": doc.raw_sha256, "page": f"documents/{doc.id}/",
        })
    return rows


def exports(docs: list[Doc]) -> dict[str, bytes]:
    rows = catalog_rows(docs)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CATALOG_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ";".join(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else v
                         for k, v in row.items()})
    corpus = []
    for doc in docs:
        for paragraph in doc.paragraphs:
            corpus.append(json.dumps({"id": doc.id, "anchor": paragraph["anchor"], "section": paragraph["section"],
                                      "city": doc.city, "year": doc.year, "year_inferred": doc.year_inferred,
                                      "topics": paragraph["topics"], "text": paragraph["text"]},
                                     ensure_ascii=False, sort_keys=True))
    return {
        "data/catalog.csv": buffer.getvalue().encode("utf-8"),
        "data/catalog.json": (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        "data/corpus.jsonl": ("\n".join(corpus) + "\n").encode("utf-8"),
    }


def generate(docs: list[Doc]) -> dict[str, bytes]:
    docs = sorted(docs, key=lambda d: d.id)
    files = {}
    for part in (city_pages, year_pages, topic_pages, genre_pages, cited_page, exports):
        files.update(part(docs))
    files["data/timeline.svg"] = timeline_svg(docs)
    files["data/matrix.svg"] = matrix_svg(docs)
    files["data/overview.md"] = overview(docs)
    files["data/jieba_user_dict.txt"] = jieba_user_dict()
    return files


def jieba_user_dict() -> bytes:
    """The archive's vocabulary terms for the search index's jieba (mkdocs.yml search.jieba_dict_user), so
    compounds such as 干部教育培训 or 效能革命 are indexed, and found, whole."""
    from .classify import place_names
    terms = set(taxonomy()["by_keyword"]) | set(place_names()) | set(vocab.load_yaml("search_terms.yml")["terms"])
    return "".join(f"{term} 2000\n" for term in sorted(terms) if len(term) >= 2).encode("utf-8")
