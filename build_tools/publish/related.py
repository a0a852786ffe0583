"""The related-documents block of a document page: links to its city, year, genre and topic pages, the
documents sharing most topics (at most five), the other documents of the same place and year (at most ten
each, then a link to the full index page), and the places where its topics recur. Bounded whatever the
size of the corpus, and computed from indexes built once (`Related`), not by comparing every pair."""
from __future__ import annotations

from collections import defaultdict

from .corpus import Doc, place_slug, topic_labels, year_label
from .page import escape

SHARED = 5  # documents sharing most topics
SAME = 10  # documents of the same place, of the same year


class Related:
    """Indexes over the corpus for the related-documents blocks: documents by topic set (the documents
    sharing a set share its counts with any page), by city and by year, cities by topic."""

    def __init__(self, docs: list[Doc]):
        by_set: dict[frozenset, list[Doc]] = defaultdict(list)
        self.by_city: dict[str, list[Doc]] = defaultdict(list)
        self.by_year: dict[str, list[Doc]] = defaultdict(list)
        self.cities_by_topic: dict[str, set[str]] = defaultdict(set)
        for doc in docs:
            if doc.topics:
                by_set[frozenset(doc.topics)].append(doc)
            self.by_city[doc.city].append(doc)
            if doc.year:
                self.by_year[doc.year].append(doc)
            for slug in doc.topics:
                self.cities_by_topic[slug].add(doc.city)
        bit = {slug: 1 << i for i, slug in enumerate(sorted({slug for topics in by_set for slug in topics}))}
        self.bit = bit
        # each topic set as a bit mask, with its documents by id
        self.by_set = [(sum(bit[slug] for slug in topics), sorted(group, key=lambda d: d.id))
                       for topics, group in by_set.items()]
        self.levels: dict[frozenset, list[tuple[int, list[Doc]]]] = {}

    def _levels(self, topics: list[str]) -> list[tuple[int, list[Doc]]]:
        """(number of topics shared with `topics`, the first documents sharing that many, by id), most
        first, until SHARED + 1 documents are listed (a document of this set leaves out itself). Computed
        once per topic set."""
        key = frozenset(topics)
        if (levels := self.levels.get(key)) is None:
            mine = sum(self.bit[slug] for slug in topics)
            by_count: dict[int, list[list[Doc]]] = defaultdict(list)
            for mask, group in self.by_set:
                if n := (mask & mine).bit_count():
                    by_count[n].append(group)
            levels, listed = [], 0
            for n in sorted(by_count, reverse=True):
                merged = sorted((d for group in by_count[n] for d in group[:SHARED + 1]), key=lambda d: d.id)
                levels.append((n, merged[:SHARED + 1]))
                listed += len(levels[-1][1])
                if listed > SHARED:
                    break
            self.levels[key] = levels
        return levels

    def shared(self, doc: Doc) -> list[tuple[int, Doc]]:
        """The documents sharing most topics with `doc`, most first, then by id (at most SHARED)."""
        out: list[tuple[int, Doc]] = []
        for n, group in self._levels(doc.topics) if doc.topics else []:
            out += [(n, d) for d in group if d.id != doc.id][:SHARED - len(out)]
            if len(out) >= SHARED:
                break
        return out

    def block(self, doc: Doc) -> str:
        """Links from a document page to its indexes and to related documents."""
        labels = topic_labels()
        prefix = ".."
        out = ["", "## 索引与关联 { #索引与关联 }", ""]
        city_page = f"{prefix}/cities/{place_slug(doc.meta['place'], doc.id)}.md" if doc.city != "不详" else ""
        year_page = f"{prefix}/years/{doc.year or 'unknown'}.md"
        out.append(f"- 地方：[{escape(doc.city)}]({city_page})" if city_page else "- 地方：地方不详")
        out.append(f"- 年份：[{year_label(doc)}]({year_page})")
        out.append(f"- 体裁：[{escape(doc.meta['genre'])}]({prefix}/genres/{doc.genre_slug}.md)")
        if doc.topics:
            out.append("- 主题：" + "、".join(f"[{escape(labels[t])}]({prefix}/topics/{t}.md)" for t in doc.topics))
        shared = self.shared(doc)
        if shared:
            out += ["", "**主题相近的文献**", ""]
            out += [f"- {d.link('.')}（共同主题 {n} 个）" for n, d in shared]
        for label, group, page in (
                ("同一地方", self.by_city[doc.city] if doc.city != "不详" else [], city_page),
                ("同一年份", self.by_year[doc.year] if doc.year else [], year_page)):
            others = [d for d in group[:SAME + 1] if d.id != doc.id][:SAME]  # the group holds the document
            if others:
                out += ["", f"**{label}的其他文献**", ""] + [f"- {d.link('.')}" for d in others]
                if len(group) - 1 > SAME:
                    out.append(f"- ……共 {len(group) - 1} 篇，[全部列表]({page})")
        elsewhere = []
        for slug in doc.topics:
            cities = sorted(self.cities_by_topic[slug] - {doc.city})
            if cities:
                elsewhere.append(f"- [{escape(labels[slug])}]({prefix}/topics/{slug}.md)：{'、'.join(escape(c) for c in cities)}")
        if elsewhere:
            out += ["", "**同一主题在其他地方**", ""] + elsewhere
        return "\n".join(out) + "\n"


def related_block(doc: Doc, docs: list[Doc]) -> str:
    """The block of one page, computed alone (a test's or a caller's convenience)."""
    return Related(docs).block(doc)
