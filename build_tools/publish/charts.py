"""The home page's two static SVG charts: documents per year, and sections per place and topic."""
from __future__ import annotations

from collections import Counter
from html import escape as html_escape

from ..describe.classify import taxonomy
from .corpus import Doc, topic_labels


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
