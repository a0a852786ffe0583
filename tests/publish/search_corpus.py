"""A small corpus written for the tests and the demo: documents (structured), the MkDocs pages made from
them (paragraph ids ``p1``, ``p2``, … and explicit heading ids, like the archive's pages) and the search
records the pipeline would give ``search_index.build_index``."""

from __future__ import annotations

import re

# Each document: id, title, city, year, genre, sections [(heading or None, topics, [paragraphs])].
# "{教|敎}" in a paragraph is an emendation (corrected|original): the page shows it in a <span> like the
# archive's pages (so a phrase crosses element boundaries); the search record holds the corrected text.
DOCS = [
    {
        "id": "001", "title": "在全市组织工作会议上的讲话", "city": "如皋市", "year": "2007", "genre": "讲话",
        "sections": [
            (None, [], [
                "同志们：",
                "今天召开全市组织工作会议，主要任务是总结上半年工作，部署下半年任务。",
            ]),
            ("一、扎实推进干部教育培训", ["干部教育"], [
                "今年以来，全市干部{教|敎}育培训工作紧扣中心、服务大局，共举办各类培训班42期，培训干部3600多人次。",
                "要把干部教育培训同实践锻炼结合起来，让年轻干部到基层一线经受考验。",
            ]),
            ("二、深入开展效能革命", ["机关作风"], [
                "机关作风建设以效能革命为抓手，推行首问负责、限时办结和责任追究制度。",
                "加入WTO以后，开放型经济加快发展，全市GDP增长12.5%，对组织工作提出了新的要求。",
            ]),
        ],
    },
    {
        "id": "002", "title": "台州市委组织部年鉴条目", "city": "台州市", "year": "2010", "genre": "年鉴条目",
        "sections": [
            ("干部教育培训", ["干部教育"], [
                "全年培训处级干部280人次，组织中青年干部赴高校专题研修。",
            ]),
            ("党员发展", ["党员管理"], [
                "坚持党员标准，严格发展程序，全年发展党员1260名。",
                "组织\u200b建设方面，推行党员当先锋、岗位作贡献活动。",
            ]),
            ("人才工作", ["人才工作"], [
                "坚持党管人才原则。",
            ]),
        ],
    },
    {
        "id": "003", "title": "关于经区大讲堂的考察报告", "city": "台州市", "year": "2003", "genre": "考察报告",
        "sections": [
            (None, ["干部教育"], [
                "经区大讲堂每月举办一次，邀请专家学者为机关干部授课，是开发区组织工作的一项创新。",
                "大讲堂注重干部教育的针对性，课程涵盖经济管理、社会治理等内容。",
            ]),
            ("一、主要做法", ["干部教育"], [
                "一是精心选题；二是整合资源；三是严格考勤，把听课情况纳入年度考核。",
            ]),
        ],
    },
    {
        "id": "004", "title": "基层党建工作总结", "city": "如皋市", "year": "2008", "genre": "工作总结",
        "sections": [
            (None, ["党员管理"], [
                "全镇党员积极投身抗灾救灾，在急难险重任务中当先锋、作表率。",
                "各村党员队伍结构进一步优化，35岁以下党员占比提高。",
                "广大群众称赞先锋模范作用发挥得好。",
                "推动ＧＤＰ与群众收入同步增长。",
            ]),
            ("人才工作", ["人才工作"], [
                "坚持党管人才原则。",
            ]),
        ],
    },
]

CITY_SLUG = {"如皋市": "rugao", "台州市": "taizhou"}


EMENDATION = re.compile(r"\{([^|{}]*)\|([^|{}]*)\}")


def clean_text(text: str) -> str:
    return EMENDATION.sub(lambda m: m.group(1), text)


def html_text(text: str) -> str:
    return EMENDATION.sub(lambda m: f'<span class="emendation" data-original="{m.group(2)}" '
                                    f'title="原文：{m.group(2)}">{m.group(1)}</span>', text)


def slug(text: str) -> str:
    """Heading id: word characters only (like pymdownx.slugs keeping Chinese)."""
    return "".join(re.findall(r"\w", text)).lower()


def doc_markdown(doc: dict) -> str:
    lines = ["---", f"title: {doc['title']}", "---", "", f"# {doc['title']}", "",
             f"地方：{doc['city']}　年份：{doc['year']}　体裁：{doc['genre']}", "{: .doc-meta }", ""]
    n = 0
    for heading, _topics, paras in doc["sections"]:
        if heading:
            lines += [f"## {heading} {{ #{slug(heading)} }}", ""]
        for p in paras:
            n += 1
            lines += [html_text(p), f"{{: #p{n} }}", ""]
    return "\n".join(lines)


def doc_records(doc: dict, doc_index: int) -> list[dict]:
    src = f"documents/{doc['id']}.md"
    base = {"src": src, "url": f"documents/{doc['id']}/", "doc": doc["id"], "title": doc["title"],
            "city": doc["city"], "year": doc["year"], "genre": doc["genre"]}
    order = doc_index * 1000
    recs = [dict(base, kind="title", anchor="", heading="", topics=[], text=doc["title"], order=order)]
    n = 0
    for heading, topics, paras in doc["sections"]:
        if heading:
            order += 1
            recs.append(dict(base, kind="heading", anchor=slug(heading), heading=heading, topics=topics,
                             text=heading, order=order))
        for p in paras:
            n += 1
            order += 1
            recs.append(dict(base, kind="paragraph", anchor=f"p{n}", heading=heading or "", topics=topics,
                             text=clean_text(p), order=order))
    return recs


def city_pages() -> dict[str, str]:
    """Index pages: one per city, listing its documents (kind "index" records)."""
    pages = {}
    for city, slug_ in CITY_SLUG.items():
        docs = [d for d in DOCS if d["city"] == city]
        lines = [f"# {city}", ""]
        for d in docs:
            topics = sorted({t for _h, ts, _p in d["sections"] for t in ts})
            lines.append(f"- [{d['title']}](../documents/{d['id']}.md)（{d['year']}，{d['genre']}）主题：{'、'.join(topics)}")
        pages[f"cities/{slug_}.md"] = "\n".join(lines) + "\n"
    return pages


def city_records() -> list[dict]:
    recs = []
    for ci, (city, slug_) in enumerate(CITY_SLUG.items()):
        src = f"cities/{slug_}.md"
        docs = [d for d in DOCS if d["city"] == city]
        for j, d in enumerate(docs):
            topics = sorted({t for _h, ts, _p in d["sections"] for t in ts})
            recs.append({"src": src, "url": f"cities/{slug_}/", "doc": f"cities/{slug_}", "title": city,
                         "kind": "index", "anchor": "", "heading": "", "city": city, "year": "", "genre": "",
                         "topics": [], "text": f"{d['title']}（{d['year']}，{d['genre']}）主题：{'、'.join(topics)}",
                         "order": 100000 + ci * 100 + j})
    return recs


def all_records() -> list[dict]:
    recs = []
    for i, d in enumerate(DOCS):
        recs += doc_records(d, i)
    return recs + city_records()
