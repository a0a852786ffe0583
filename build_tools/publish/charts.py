"""The home page's two charts: documents per year, and sections per place and topic.

Each chart is drawn once and written twice: inline in the home page (`timeline_html`, `matrix_html`, raw HTML
in docs/data/overview.md, which docs/index.md includes), where it is labelled (a <title> and a <desc> named by
aria-labelledby / aria-describedby) and every bar, cell and label is a link to its index page; and as the
standalone files data/timeline.svg and data/matrix.svg (published, locked URLs; the years page shows the first),
without links. Inline links are written as the index page's Markdown path with class="chart-link"; the MkDocs
hook (publish/mkdocs_hooks.py, `chart_links`) turns each into the page's URL for the build at hand (years/2004/
online, years/2004.html offline), since MkDocs leaves raw HTML alone.

On a phone both stay readable: each SVG has a viewBox and sits in a horizontally scrolling, focusable, named
region; the timeline shrinks to the column down to a CSS min-width, the matrix keeps its own size (its cells
stay large enough to tap).
Every value that comes from a source or a vocabulary is escaped.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape as html_escape

from ..describe.classify import taxonomy
from .corpus import Doc, topic_labels

BAR = "#3949ab"  # indigo 600: 7.3:1 against white, so a bar is told from the page by more than its hue
CELL = (48, 63, 159)  # #303f9f, mixed with white by the cell's share of the largest count


def text_width(text: str, size: float) -> float:
    """An upper estimate of the width of `text` at font size `size`: a CJK character is one em, others 0.62."""
    return sum(size if ord(c) >= 0x2E80 else 0.62 * size for c in text)


def _e(text: str) -> str:
    return html_escape(str(text), quote=True)


@dataclass
class Link:
    """An inline chart's link: the Markdown path of an index page (relative to docs/) and its label."""
    path: str
    label: str


def _link(link: Link | None, inner: str) -> str:
    if link is None:
        return inner
    return f'<a class="chart-link" href="{_e(link.path)}" aria-label="{_e(link.label)}">{inner}</a>'


# ---- documents per year ---------------------------------------------------------------------------------

def _timeline(docs: list[Doc], linked: bool) -> tuple[int, int, list[str], str]:
    counts = Counter(d.year for d in docs if d.year)
    if not counts:
        return 200, 40, ['<text x="10" y="25">（暂无年份）</text>'], "本馆文献均无年份。"
    years = list(range(int(min(counts)), int(max(counts)) + 1))
    width, height, bar, top = 60 + 40 * len(years), 180, 28, max(counts.values())
    parts = []
    for i, year in enumerate(years):
        n = counts.get(str(year), 0)
        h = 110 * n / top
        x = 40 + i * 40
        label = f"{year}年：{n} 篇"
        parts.append(f'<text x="{x + bar / 2}" y="160" text-anchor="middle" font-size="13">{year}</text>')
        if n:
            parts.append(f'<text x="{x + bar / 2}" y="{135 - h:.1f}" text-anchor="middle" font-size="13">{n}</text>')
        inner = f'<rect x="{x}" y="{140 - h:.1f}" width="{bar}" height="{h:.1f}" fill="{BAR}"><title>{label}</title></rect>'
        if linked and n:
            # the link (named by its aria-label) covers the bar, its count and its year, drawn over them, so a
            # tap anywhere in the column opens the year; the texts stay outside it, shown to everyone
            inner += f'<rect x="{x - 4}" y="20" width="{bar + 8}" height="146" fill="transparent"/>'
        parts.append(_link(Link(f"years/{year}.md", f"{year}年：{n} 篇文献") if linked and n else None, inner))
    parts.append(f'<line x1="35" y1="140" x2="{width - 10}" y2="140" stroke="#757575"/>')
    busiest = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    desc = (f"柱形图：{years[0]}—{years[-1]} 年每年的文献篇数，共 {sum(counts.values())} 篇；"
            f"最多的是 {busiest[0]} 年（{busiest[1]} 篇）。" + ("每个柱形链接到该年的文献目录。" if linked else ""))
    return width, height, parts, desc


def timeline_svg(docs: list[Doc]) -> bytes:
    width, height, parts, desc = _timeline(docs, linked=False)
    return _svg_file(width, height, parts, "每年文献数", desc)


def timeline_html(docs: list[Doc]) -> str:
    width, height, parts, desc = _timeline(docs, linked=True)
    svg = _svg_inline("chart-timeline", width, height, parts, "每年文献数", desc, "archive-chart__svg--timeline")
    return (f'<figure class="archive-chart archive-chart--timeline"><div class="archive-chart__scroll" tabindex="0" '
            f'role="region" aria-label="每年文献数柱形图（窄屏可横向滚动）">{svg}</div>'
            f'<figcaption>每年文献数（点按柱形打开该年的文献目录）</figcaption></figure>')


# ---- places × topics -------------------------------------------------------------------------------------

def _matrix(docs: list[Doc], city_slugs: dict[str, str], topic_anchor, linked: bool) -> tuple[int, int, list[str], str]:
    labels = topic_labels()
    cities = sorted({d.city for d in docs if d.city != "不详"})
    topics = [t["slug"] for t in taxonomy()["topics"]]
    cells = Counter()
    for doc in docs:
        for section in doc.sections:
            for slug in section["topics"]:
                cells[doc.city, slug] += 1
    top = max(cells.values(), default=1)
    cell, label_size, city_size = 26, 11, 12
    # Room for the longest labels: the city names right-aligned on the left, the topic names rotated -60°
    # above (their height is sin 60° of their length, and they lean right by cos 60° of it).
    longest_topic = max((text_width(labels[t], label_size) for t in topics), default=0)
    left = int(12 + max((text_width(c, city_size) for c in cities), default=40))
    head = int(16 + 0.87 * longest_topic + label_size)
    width = int(left + cell * len(topics) + 0.5 * longest_topic + 12)
    height = head + cell * len(cities) + 10
    parts = []
    for j, slug in enumerate(topics):
        x = left + j * cell + cell / 2
        text = (f'<text transform="translate({x},{head - 6}) rotate(-60)" font-size="{label_size}">'
                f'{_e(labels[slug])}</text>')
        parts.append(_link(Link(f"topics/{slug}.md", f"主题：{labels[slug]}") if linked else None, text))
    for i, city in enumerate(cities):
        y = head + i * cell
        text = f'<text x="{left - 6}" y="{y + 17}" text-anchor="end" font-size="{city_size}">{_e(city)}</text>'
        slug = city_slugs.get(city)
        parts.append(_link(Link(f"cities/{slug}.md", f"地方：{city}") if linked and slug else None, text))
        for j, slug in enumerate(topics):
            n = cells.get((city, slug), 0)
            shade = round(0.08 + 0.92 * n / top, 2) if n else 0
            title = f"{city} × {labels[slug]}：{n} 个章节"
            inner = (f'<rect x="{left + j * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                     f'fill="rgb{CELL}" fill-opacity="{shade:.2f}" stroke="#bdbdbd"><title>{_e(title)}</title></rect>')
            if n:
                inner += (f'<text x="{left + j * cell + (cell - 2) / 2}" y="{y + 17}" text-anchor="middle" '
                          f'font-size="11" fill="{_ink(shade)}">{n}</text>')
            target = None
            if linked and n:
                target = Link(f"topics/{slug}.md" + topic_anchor(slug, city), title)
            parts.append(_link(target, inner))
    desc = (f"矩阵：{len(cities)} 个地方（行）× {len(topics)} 个主题（列），格中数字为该地文献中归入该主题的章节数，"
            f"颜色越深越多，最多 {top} 个。" + ("地方名、主题名和每个有数的格子都链接到相应的目录页。" if linked else ""))
    return width, height, parts, desc


def _ink(shade: float) -> str:
    """Black or white, whichever reads better on a cell of this shade (at least 4.58:1 either way)."""
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    mixed = [shade * c + (1 - shade) * 255 for c in CELL]
    lum = 0.2126 * linear(mixed[0]) + 0.7152 * linear(mixed[1]) + 0.0722 * linear(mixed[2])
    return "#000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#fff"


def matrix_svg(docs: list[Doc]) -> bytes:
    width, height, parts, desc = _matrix(docs, {}, lambda slug, city: "", linked=False)
    return _svg_file(width, height, parts, "地方 × 主题（章节数）", desc)


def matrix_html(docs: list[Doc], city_slugs: dict[str, str], topic_anchor) -> str:
    """`city_slugs`: {city name: its index page's slug}; `topic_anchor(topic slug, city)`: "#…" when the city
    has a heading on the topic's first page, else ""."""
    width, height, parts, desc = _matrix(docs, city_slugs, topic_anchor, linked=True)
    svg = _svg_inline("chart-matrix", width, height, parts, "地方 × 主题（章节数）", desc, "archive-chart__svg--matrix")
    return (f'<figure class="archive-chart archive-chart--matrix"><div class="archive-chart__scroll" tabindex="0" '
            f'role="region" aria-label="地方 × 主题矩阵（可横向滚动）">{svg}</div>'
            f'<figcaption>地方 × 主题（章节数；点按格子打开该主题中此地的章节，点按地名或主题名打开其目录）</figcaption></figure>')


# ---- SVG wrappers ----------------------------------------------------------------------------------------

def _svg_file(width: int, height: int, parts: list[str], title: str, desc: str) -> bytes:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" role="img">')
    return (head + f"<title>{_e(title)}</title><desc>{_e(desc)}</desc>" + "".join(parts) + "</svg>\n").encode("utf-8")


def _svg_inline(ident: str, width: int, height: int, parts: list[str], title: str, desc: str, css: str) -> str:
    """An SVG for the page itself: one line (a raw HTML block in Markdown must hold no blank line), a group
    named by its <title> and described by its <desc>, holding links, inside a region that scrolls sideways.
    The timeline shrinks to the column down to a CSS min-width (its labels stay readable on a phone); the
    matrix keeps its own size (its cells stay large enough to tap)."""
    size = f'width="{width}" height="{height}"'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="archive-chart__svg {css}" {size} '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" role="group" '
            f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc">'
            f'<title id="{ident}-title">{_e(title)}</title><desc id="{ident}-desc">{_e(desc)}</desc>'
            + "".join(parts) + "</svg>")
