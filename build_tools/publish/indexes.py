"""Corpus-level pages, driven by the documents' metadata and classified sections: cities (grouped by
province), years, topics (every matching section, deep-linked), genres, cited documents and the home page
overview; `generate` adds the charts (charts.py) and the data exports (exports.py). The related-documents
block of each document page is related.py.

Every index URL uses a slug from a vocabulary file (places: rules/divisions.json and gazetteer.yml; topics, genres) or a year, so editing a
label never moves a URL. Input: the built documents; output: {path under docs/: bytes}.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from .. import vocab
from ..describe import places
from ..describe.classify import taxonomy
from ..describe.structure import SLUGIFY
from . import charts, exports
from .corpus import DOCS, Doc, by_section_key, cited_anchor, year_label
from .page import escape, format_date


def year_title(year: str) -> str:
    return f"{year}年" if year != "unknown" else "年份不详"


def _lines(*parts) -> bytes:
    return ("\n".join(parts).rstrip("\n") + "\n").encode("utf-8")


YEAR_ROW_DOCS = 20  # documents named in a year's row of years/index.md (its page lists them all)
PAGE_BYTES = 150_000  # an index page longer than this is split into pages (no page over ~200 KB)
RELATIVE_LINK = re.compile(r"\]\((?![a-z]+:|#|/)")


def paginate(path: str, head: list[str], items: list[str], repeat: tuple[str, ...] = ()) -> dict[str, bytes]:
    """An index page, split when it would exceed PAGE_BYTES. `head` opens the first page; `repeat`
    (a table's header) opens every page; each item is one or more lines, never split. The first page
    keeps its URL (topics/x.md); the following ones are topics/x/2.md, topics/x/3.md, ..., each with the
    title and links to every page. A heading item (##) is never the last of a page. A page that fits is
    exactly `_lines(*head, *repeat, *items)`."""
    whole = _lines(*head, *repeat, *items)
    if len(whole) <= PAGE_BYTES:
        return {path: whole}
    pages: list[list[str]] = [[]]
    size = 0
    for item in items:
        length = len(item.encode("utf-8")) + 1
        if pages[-1] and size + length > PAGE_BYTES:
            moved = []
            while len(pages[-1]) > 1 and (pages[-1][-1] == "" or pages[-1][-1].startswith("#")):
                moved.insert(0, pages[-1].pop())
            pages.append(moved)
            size = sum(len(i.encode("utf-8")) + 1 for i in moved)
        pages[-1].append(item)
        size += length
    for page_items in pages[1:]:
        while page_items and page_items[0] == "":
            page_items.pop(0)
    stem, count = path[:-3], len(pages)
    name = stem.rsplit("/", 1)[-1]
    files = {}
    for number, page_items in enumerate(pages, 1):
        def target(n: int) -> str:
            if number == 1:
                return f"{name}.md" if n == 1 else f"{name}/{n}.md"
            return f"../{name}.md" if n == 1 else f"{n}.md"
        nav = f"第 {number} 页，共 {count} 页：" + " · ".join(
            f"**{n}**" if n == number else f"[{n}]({target(n)})" for n in range(1, count + 1))
        if number == 1:
            files[path] = _lines(*head, nav, "", *repeat, *page_items, "", nav)
        else:
            title = f"{head[0]}（第 {number} 页）"
            body = RELATIVE_LINK.sub("](../", "\n".join([*repeat, *page_items]))
            files[f"{stem}/{number}.md"] = _lines(title, "", nav, "", body, "", nav)
    return files


def _doc_item(doc: Doc, prefix: str = DOCS) -> str:
    return f"- {doc.link(prefix)}（{escape(doc.city)}，{year_label(doc)}，{escape(doc.meta['genre'])}）"


# A province-level unit has a page only when documents are placed in it (a provincial document); one that is only
# visited or mentioned has none (cities/index.md groups the places by province).
PROVINCE_LEVELS = ("省", "自治区", "特别行政区")


def _units_of(place: dict) -> list[dict]:
    city, county = places.resolve(place)
    return [u for u in (city, county if county is not city else None) if u is not None]


def city_pages(docs: list[Doc]) -> dict[str, bytes]:
    """One page per place (keyed by its slug: 鼓楼区 of 福州 and of 南京 are two pages) with its documents,
    the documents that visit or study it, and the passages that mention it."""
    written, about = defaultdict(list), defaultdict(list)
    mentions = by_section_key(docs, "places")
    for doc in docs:
        for unit in _units_of(doc.meta["place"]):
            if doc not in written[unit["slug"]]:
                written[unit["slug"]].append(doc)
        for place in doc.meta.get("subject_places", []):
            unit, _ = places.resolve({"city": place["city"], "province": place.get("province")})
            if unit is not None:
                about[unit["slug"]].append(doc)
    units = [places.by_slug()[s] for s in set(written) | set(about) | set(mentions)]
    units.sort(key=lambda u: (places.province_of(u), u["name"], u["slug"]))
    files, by_province = {}, defaultdict(list)
    for unit in units:
        name, slug = unit["name"], unit["slug"]
        if unit["level"] in PROVINCE_LEVELS and not written[slug]:
            continue
        province = places.province_of(unit)
        by_province[province].append(unit)
        above = unit["path"][-2] if len(unit["path"]) > 2 else ""
        history = places.history(unit)
        head = [f"# {escape(name)}", "", f"{escape(province)}，{unit['level']}"
                + (f"，属{escape(above)}" if above else "") + (f"。{escape(history)}" if history else ""), ""]
        out = []
        if written[slug]:
            out += ["## 本地文献", ""] + [_doc_item(d) for d in sorted(written[slug], key=lambda d: (d.year, d.id))] + [""]
        if about[slug]:
            out += ["## 以本地为考察对象的文献", ""] + [_doc_item(d) for d in sorted(about[slug], key=lambda d: (d.year, d.id))] + [""]
        passages = mentions[slug]
        if passages:
            out += [f"## 提及本地的段落（{len(passages)}）", ""]
            out += [f"- {d.link(DOCS, s['anchor'])} › {escape(s['title'])}" for d, s, _ in passages] + [""]
        files.update(paginate(f"cities/{slug}.md", head, out))
    out = ["# 地方", "", "按省份分组（按行政区划代码排序）。每个地方页列出本地文献、以本地为考察对象的文献，以及提及本地的段落。", ""]
    code = {u["path"][0]: u["code"] for u in places.units() if len(u["path"]) == 1}
    for province in sorted(by_province, key=lambda name: (code.get(name, "999999"), name)):
        out += [f"## {escape(province)}", ""]
        for unit in by_province[province]:
            slug = unit["slug"]
            count = len(written[slug]) + len(about[slug])
            out.append(f"- [{escape(unit['name'])}]({slug}.md)（文献 {count} 篇，"
                       f"提及段落 {len(mentions[slug])} 处）")
        out.append("")
    files["cities/index.md"] = _lines(*out)
    return files


def year_pages(docs: list[Doc]) -> dict[str, bytes]:
    by_year = defaultdict(list)
    for doc in docs:
        by_year[doc.year or "unknown"].append(doc)
    files = {}
    for year, items in sorted(by_year.items()):
        head = [f"# {year_title(year)}", ""]
        if any(d.year_inferred for d in items):
            head += ["标“推断”的年份由整理者据正文推定，依据见各文献的元数据。", ""]
        out = [f"- {d.link()}（{escape(d.city)}，{escape(format_date(d.meta['date']))}"
                f"{'，推断' if d.year_inferred else ''}，{escape(d.meta['genre'])}）"
                for d in sorted(items, key=lambda d: (d.meta['date'].get('value') or '', d.id))]
        files.update(paginate(f"years/{year}.md", head, out))
    out = ["# 年份", "", "![每年文献数](../data/timeline.svg)", "", "| 年份 | 文献 |", "| --- | --- |"]
    for year, items in sorted(by_year.items()):
        listed = sorted(items, key=lambda d: d.id)
        more = f"……（共 {len(listed)} 篇）" if len(listed) > YEAR_ROW_DOCS else ""
        out.append(f"| [{year_title(year)}]({year}.md) | {'、'.join(d.link() for d in listed[:YEAR_ROW_DOCS])}{more} |")
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
        head = [f"# {escape(topic['label'])}", "",
                f"关键词：{'、'.join(escape(k) for k in topic['keywords'])}", "",
                f"共 {len(items)} 个章节，出自 {docs_count} 篇文献。按地方、年份排列；每条注明触发归类的词。", ""]
        out = []
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
                out.append("\n".join([
                    f"- {year_label(doc)} {doc.link(DOCS, section['anchor'])} › **{escape(section['title'])}**",
                    f"  <br>{escape(section['snippet'])}",
                    f"  <br><small>触发词：{trigger}；本节关键词（TF-IDF）：{'、'.join(escape(k) for k in section['keywords'])}</small>"]))
            out.append("")
        files.update(paginate(f"topics/{slug}.md", head, out))
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
        files.update(paginate(f"genres/{genre['slug']}.md", [f"# {escape(genre['label'])}", "", escape(genre["description"]), ""],
                              [_doc_item(d) for d in items] or ["（暂无）"]))
        out.append(f"- [{escape(genre['label'])}]({genre['slug']}.md)（{len(items)} 篇）：{escape(genre['description'])}")
    files["genres/index.md"] = _lines(*out)
    return files


def cited_page(docs: list[Doc]) -> dict[str, bytes]:
    cited = by_section_key(docs, "cited")
    head = ["# 引用文件", "", f"文献中以书名号引用的文件、法规与报刊，共 {len(cited)} 种（书名已规范：去空格、括号统一为全角）。", ""]
    out = []
    for title in sorted(cited):
        out += [f"## 《{escape(title)}》 {{ #{cited_anchor(title)} }}", ""]
        out += [f"- {d.link(DOCS, s['anchor'])} › {escape(s['title'])}" for d, s, _ in cited[title]] + [""]
    return paginate("cited/index.md", head, out)


def overview(docs: list[Doc], topic_files: dict[str, bytes] | None = None) -> bytes:
    """The generated part of the home page (included by docs/index.md), with the two charts inline (raw HTML,
    charts.py): every bar, cell and label a link to its index page. `topic_files`: the topic pages, so that a
    cell links to its city's heading when that heading is on the topic's first page."""
    sections = sum(len(d.sections) for d in docs)
    cities = {d.city for d in docs if d.city != "不详"}
    years = sorted({d.year for d in docs if d.year})
    span = f"{years[0]}—{years[-1]} 年" if years else "年份不详"
    genres = Counter(d.meta["genre"] for d in docs)
    topic_anchor = topic_heading_anchor(topic_files or {})
    return _lines(
        f"本馆现藏文献 **{len(docs)}** 篇，来自 **{len(cities)}** 个地方，时间跨度 {span}，"
        f"分为 {sections} 个章节、{sum(len(d.paragraphs) for d in docs)} 个段落；体裁："
        + "、".join(f"{escape(g)} {n} 篇" for g, n in sorted(genres.items())) + "。", "",
        "**浏览入口**：[全部文献](documents/index.md) · [地方](cities/index.md) · [年份](years/index.md) · "
        "[主题](topics/index.md) · [体裁](genres/index.md) · [引用文件](cited/index.md) · [数据下载](about-data.md)", "",
        charts.timeline_html(docs), "", charts.matrix_html(docs, city_slugs(docs), topic_anchor),
        "", "两图的静态文件：[每年文献数](data/timeline.svg) · [地方 × 主题](data/matrix.svg)（SVG）")


def city_slugs(docs: list[Doc]) -> dict[str, str]:
    """{a document's city name: the slug of its index page}."""
    out = {}
    for doc in docs:
        units = _units_of(doc.meta["place"]) if doc.city != "不详" else []
        if units:
            out.setdefault(doc.city, units[0]["slug"])
    return out


def topic_heading_anchor(topic_files: dict[str, bytes]):
    """(topic slug, city) -> "#anchor" of the city's heading on the topic's first page, or "" (a heading on a
    later page of a split topic, or none)."""
    def anchor(slug: str, city: str) -> str:
        page = topic_files.get(f"topics/{slug}.md", b"").decode("utf-8")
        if f"\n## {escape(city)}\n" not in page:
            return ""
        return "#" + SLUGIFY(city, "-")
    return anchor


def generate(docs: list[Doc]):
    """Every corpus-level file but data/corpus.jsonl, which is streamed (exports.corpus_chunks, sorted_docs):
    (path, bytes), one kind of page at a time (only the topics' first pages are kept, for the overview)."""
    docs = sorted_docs(docs)
    first_topic_pages = {}
    for part in (city_pages, year_pages, topic_pages, genre_pages, cited_page, exports.exports):
        for name, data in part(docs).items():
            if name.startswith("topics/") and name.count("/") == 1:
                first_topic_pages[name] = data
            yield name, data
    yield "data/timeline.svg", charts.timeline_svg(docs)
    yield "data/matrix.svg", charts.matrix_svg(docs)
    yield "data/overview.md", overview(docs, first_topic_pages)


def sorted_docs(docs: list[Doc]) -> list[Doc]:
    return sorted(docs, key=lambda d: d.id)
