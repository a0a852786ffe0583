"""The related-documents block of a document page: links to its city, year, genre and topic pages, the
documents sharing most topics, the other documents of the same place and year, and the places where its
topics recur."""
from __future__ import annotations

from .corpus import Doc, place_slug, topic_labels, year_label
from .page import escape


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
