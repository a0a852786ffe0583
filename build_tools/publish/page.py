"""Write one document page: YAML front matter with all metadata, then Markdown with stable anchors.

Headings carry explicit ids made the way pymdownx.slugs makes them (Chinese kept); every paragraph
carries a stable id p1…pN, so a passage can be cited as <page URL>#p12.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import yaml

from ..clean.edits import Edit
from ..describe.structure import Block, Document

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#])")  # what Python-Markdown unescapes
PRECISION_LABEL = {"day": "日", "month": "月", "year": "年", "unknown": "不详"}


def escape_inline(text: str) -> str:
    """Text as literal inline Markdown: the reader sees its characters, whatever they are (an entity such as
    &gt; stays as written, a tag is text)."""
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("|", "&#124;")


def escape(text: str) -> str:
    """Text as literal Markdown: inline specials escaped, and no list marker at the start of a line."""
    return _line_start(escape_inline(text))


# What starts a Markdown block at the beginning of a line: a list marker (- + and a space), a rule (three -;
# * and _ are escaped already), an ordered-list number (1. and a space), a setext underline (a line of =),
# an indent that would make a code block. Each is neutralised so the reader sees the characters.
BLOCK_START = re.compile(r"(?m)^(?:(?P<mark>[+\-])(?=[ \t]|$|[ \t]*-[ \t]*-[ \t-]*$)|(?P<number>\d+)\.(?=[ \t]|$)"
                         r"|(?P<equals>=)(?=[= \t]*$)|(?P<indent>[ \t]+))")


def _line_start(markdown: str) -> str:
    def neutral(match: re.Match) -> str:
        if match["mark"]:
            return "\\" + match["mark"]
        if match["number"]:
            return match["number"] + "\\."
        if match["equals"]:
            return "&#61;"
        return match["indent"].replace(" ", "&#32;").replace("\t", "&#9;")
    return BLOCK_START.sub(neutral, markdown)


# Characters that Python-Markdown's inline patterns would act on before they see raw HTML.
ATTRIBUTE_ENTITIES = str.maketrans({"`": "&#96;", "\\": "&#92;", "[": "&#91;", "]": "&#93;", "|": "&#124;",
                                    "{": "&#123;", "}": "&#125;", "*": "&#42;", "_": "&#95;"})


def attribute(value: str) -> str:
    return html.escape(value, quote=True).translate(ATTRIBUTE_ENTITIES)


def format_date(date: dict) -> str:
    value, precision = date.get("value"), date["precision"]
    if not value:
        return "不详"
    parts = value.split("-")
    label = f"{parts[0]}年" + (f"{int(parts[1])}月" if len(parts) > 1 else "") + (
        f"{int(parts[2])}日" if len(parts) > 2 else "")
    return label + f"（精确到{PRECISION_LABEL[precision]}）"


def format_place(place: dict) -> str:
    if place["city"] == "不详" and not place.get("county"):
        return "不详"
    county = f"{place['county']}，" if place.get("county") and place["county"] != place["city"] else ""
    return f"{county}{place['city']}（{place['province']}，{place['level']}）"


def metadata_table(meta: dict, inferred: dict[str, str], attribution: str, truncated: str | None = None) -> list[str]:
    def mark(field: str, text: str) -> str:
        return f"{text}（推断：{escape(inferred[field])}）" if field in inferred else text

    date = meta["date"]
    date_text = escape(format_date(date))  # each part escaped once (the evidence was escaped twice: 20\\*\\*)
    if date.get("inferred") and "date" not in inferred:
        date_text += f"（推断：{escape(date.get('evidence', ''))}）"
    rows = [
        ("体裁", mark("genre", escape(meta["genre"]))),
        ("发文机关", mark("issuing_body", escape(meta["issuing_body"]))),
        ("地方", mark("place", escape(format_place(meta["place"])))),
        ("日期", mark("date", date_text)),
    ]
    if date.get("text_says"):
        rows.append(("原文所载", escape(date["text_says"])))
    if meta.get("subject_places"):
        rows.append(("考察/涉及地方", "、".join(escape(format_place(p)) for p in meta["subject_places"])))
    if meta.get("author"):
        rows.append(("作者", escape(meta["author"])))
    if meta.get("authors"):
        rows.append(("引用著录的责任者", "、".join(escape(a["name"]) + ("（机构）" if a.get("corporate") else "")
                                             for a in meta["authors"])))
    if meta.get("container"):
        host = meta["container"]
        text = f"《{escape(host['title'])}》" + (f"（{escape(host['year'])}）" if host.get("year") else "")
        if host.get("inferred"):
            text += f"（推断：{escape(host.get('evidence', ''))}）"
        rows.append(("所属年鉴" if meta["genre"] == "年鉴条目" else "所属文献", text))
    if attribution:
        rows.append(("署名", escape(attribution)))
    source = meta.get("source", {})
    if source.get("site"):
        rows.append(("来源网站", escape(source["site"])))
    if source.get("url"):  # validated whole by the schema; an attribute, never an autolink
        rows.append(("原始网址", f'<a href="{attribute(source["url"])}">{escape_inline(source["url"])}</a>'))
    if truncated:
        rows.append(("完整性", escape(f"原文不完整（下缺）：{truncated}")))
    rows.append(("文献编号", f"`{meta['id']}`"))
    lines = ["| 项目 | 内容 |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    return lines


def metadata_block(meta: dict, table: list[str]) -> list[str]:
    """The metadata table inside a <details> written open (so it shows without JavaScript and in print);
    docs/javascripts/metadata.js folds it on a phone-width screen, where the summary line still names the
    genre, place and date. The summary's values are HTML-escaped (and Markdown specials made entities)."""
    place = format_place(meta["place"]).split("（")[0]
    date = format_date(meta["date"]).split("（")[0]
    brief = " · ".join(attribute(v) for v in (meta["genre"], "地方不详" if place == "不详" else place,
                                              "日期不详" if date == "不详" else date))
    return ['<details class="metadata" open markdown="1">',
            f'<summary>著录信息<span class="metadata-brief">：{brief}</span></summary>', "",
            *table, "", "</details>", ""]


@dataclass(frozen=True)
class Mark:
    """An emendation's place in the cleaned text (end == start for a deletion) and its 校勘记 number."""
    start: int
    end: int
    number: int
    edit: Edit


EMENDATION_NOTE = ("本页正文中经校改的文字以虚线标出（待核者加底色），鼠标悬停、点按或用 Tab 键选中可见原文，"
                   "逐条说明见[校勘记](#校勘记)。")


def render(meta: dict, front_matter: dict, doc: Document, inferred: dict[str, str],
           marks: list[Mark] = ()) -> str:
    attributions = {b.text for b in doc.blocks if b.kind == "attribution"}
    shared_attribution = next(iter(attributions)) if len(attributions) == 1 else ""
    out = ["---", yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False, width=1000).rstrip(), "---", ""]
    out += [f"# {escape(meta['title'])}", ""]
    out += metadata_block(meta, metadata_table(meta, inferred, shared_attribution, front_matter.get("truncated")))
    out += reader_sections(meta, front_matter["provenance"])
    if marks:
        out += [EMENDATION_NOTE, "{: .emendation-note }", ""]
    marks = sorted(marks, key=lambda m: (m.start, m.end))
    claimed: set[int] = set()  # deletions at a boundary between two blocks go to the first
    for block in doc.blocks:
        out += _render_block(block, meta, shared_attribution, marks, claimed)
    if front_matter.get("truncated"):  # shown, never part of the cleaned (citable) text
        out += [f'<p class="truncation-mark" title="{attribute(front_matter["truncated"])}">〔下缺〕</p>', ""]
    return "\n".join(out).rstrip("\n") + "\n"


def marked(block: Block, marks: list[Mark], claimed: set[int]) -> str:
    """The block's text as Markdown, each emendation inside it wrapped in a span that carries the original
    (TEI's sic/corr): title= for hover, data-original= for the show-original toggle. A deletion is an
    empty span. Where two emendations overlap only the first is marked (the 校勘记 lists both)."""
    low, high = block.start, block.start + len(block.text)
    out, cursor = [], low
    for mark in marks:  # sorted by position (render sorts them)
        start, end = max(mark.start, low), min(mark.end, high)
        if (mark.end < low or start > high or start < cursor or (end <= start and mark.end > mark.start)
                or mark.number in claimed):
            continue  # outside this block, overlapping the previous mark, clipped away, or already shown
        if mark.end == mark.start:
            claimed.add(mark.number)
        out.append(escape_inline(block.text[cursor - low:start - low]))
        out.append(_span(mark, escape_inline(block.text[start - low:end - low])))
        cursor = end
    out.append(escape_inline(block.text[cursor - low:]))
    return _line_start("".join(out))


def _span(mark: Mark, inner: str) -> str:
    edit = mark.edit
    classes = ["emendation"]
    if edit.confidence is not None and edit.confidence < REVIEW_BELOW:
        classes.append("emendation-review")
    original = attribute(edit.before)
    if not inner:
        classes.append("emendation-deletion")
        return f'<span class="{" ".join(classes)}" data-original="{original}" data-number="{mark.number}"></span>'
    label = KIND_LABEL.get(edit.kind, edit.kind)
    confidence = "" if edit.confidence is None else f"，可信度 {edit.confidence:.2f}"
    review = "，待核" if "emendation-review" in classes else ""
    title = attribute(f"原文：{edit.before or '（无）'}（{label}{confidence}{review}；校勘记第 {mark.number} 条）")
    # Focusable (a keyboard or a tap reaches it), a note whose title names the original: CSS shows that text
    # beside the mark on focus, emendations.js also on a click or tap (the title alone needs a mouse).
    return (f'<span class="{" ".join(classes)}" data-original="{original}" data-number="{mark.number}" '
            f'title="{title}" tabindex="0" role="note">{inner}</span>')


def _render_block(block: Block, meta: dict, shared_attribution: str, marks: list[Mark],
                  claimed: set[int]) -> list[str]:
    text = marked(block, marks, claimed) if marks else escape(block.text)
    if block.kind == "title":
        return [] if block.text == meta["title"] else [text, "{: .source-title }", ""]
    if block.kind == "dateline":
        return [text, "{: .dateline }", ""]
    if block.kind == "heading":
        return [f"{'#' * block.level} {text} {{ #{block.anchor} }}", ""]
    if block.kind == "attribution":
        return [] if block.text == shared_attribution else [text, "{: .attribution }", ""]
    return [text, f"{{: #{block.anchor} }}", ""]


# The archive's two sections near the title (in the page's table of contents). 引用本文 is filled by the
# MkDocs hook (build_tools/publish/mkdocs_hooks.py), which knows the canonical URL; 来源与校验 is written here.
CITATION_SLOT = '<div class="archive-slot" data-slot="citation"></div>'
ARCHIVE_HEADINGS = ("引用本文", "来源与校验")
VERSIONS_SLOT = "<!-- archive-versions -->"  # the version lines, filled by publish/output.py from seeds/history/


def reader_sections(meta: dict, provenance: dict) -> list[str]:
    """引用本文 (a slot the hook fills) and 来源与校验 (hashes, the raw file, the edit log), right after the
    metadata table: a reader finds how to cite the page and what it was made from before the text."""
    links = [("原始文本", provenance["raw_text"], "下载原始文本（一字未改）"),
             ("整理本纯文本", provenance["clean_text"], "下载整理本"),
             ("编辑记录", provenance["edit_log"], "逐条编辑记录（JSON）")]
    rows = [("原始文件 SHA-256", f"`{provenance['raw_sha256']}`"),
            ("整理本 SHA-256", f"`{provenance['clean_sha256']}`"),
            ("原始编码", escape_inline(provenance["encoding"]))]
    rows += [(label, f"[{text}]({target})") for label, target, text in links]
    return ["## 引用本文 { #引用 }", "", CITATION_SLOT, "",
            "## 来源与校验 { #来源与校验 }", "", "| 项目 | 内容 |", "| --- | --- |",
            *(f"| {k} | {v} |" for k, v in rows), "", VERSIONS_SLOT, ""]


KIND_LABEL = {"pinyin": "删除注音", "straddle": "字节错位复原", "shift": "字节偏移复原", "lacuna": "缺字",
              "erratum": "勘误", "variant": "异体字校正"}
REVIEW_BELOW = 0.8  # repairs less confident than this are flagged for review


ROUTINE_KINDS = ("pinyin",)  # classes of emendation folded into one counted, expandable row


def apparatus(emendations: list, findings: list) -> str:
    """The 校勘记: every emendation with its number (the one its mark in the text names), kind and
    confidence, substantive ones first; each routine class (删除注音) folded into one counted row that
    expands (<details>, no script needed); then every suspicious span left. An HTML table, every value
    escaped, so each row can carry its number as an anchor (#e12)."""
    if not emendations and not findings:
        return ""
    out = ["", "## 校勘记 { #校勘记 }", ""]
    if emendations:
        kinds = {}
        for edit in emendations:
            kinds[edit.kind] = kinds.get(edit.kind, 0) + 1
        summary = "，".join(f"{KIND_LABEL.get(k, k)} {n} 处" for k, n in kinds.items())
        out += [f"整理本对原文共校改 {len(emendations)} 处：{summary}。“原文”为网站文本（繁简转换之前），"
                f"可信度低于 {REVIEW_BELOW} 的校改标为“待核”。"
                + ("例行校改（删除注音）合为一行，点击展开逐条。" if any(k in ROUTINE_KINDS for k in kinds) else ""), ""]
        numbered = list(enumerate(emendations, 1))
        rows = [_apparatus_row(n, e) for n, e in numbered if e.kind not in ROUTINE_KINDS]
        for kind in ROUTINE_KINDS:
            group = [_apparatus_row(n, e) for n, e in numbered if e.kind == kind]
            if group:
                label = html.escape(KIND_LABEL.get(kind, kind))
                rows.append(f'<tr class="apparatus-routine"><td colspan="6"><details><summary>{label} ×{len(group)}'
                            f'（例行校改，展开逐条）</summary><div class="apparatus-scroll" tabindex="0" role="region" '
                            f'aria-label="{label} {len(group)} 处"><table><thead>{APPARATUS_HEAD}</thead><tbody>'
                            + "".join(group) + "</tbody></table></div></details></td></tr>")
        out += [APPARATUS_OPEN + f'<table class="apparatus"><thead>{APPARATUS_HEAD}</thead><tbody>', *rows,
                APPARATUS_CLOSE, ""]
    if findings:
        out += [f"以下 {len(findings)} 处疑似乱码或残留注音尚未校正，正文照录原样，待核：", ""]
        out += [f"- {escape(f.rule)}：「{escape(f.context)}」" for f in findings]
        out.append("")
    return "\n".join(out)


# The table's first and last lines: the MkDocs hook (mkdocs_hooks.py, on_page_markdown) passes the block between
# them (raw HTML that Python-Markdown would copy unchanged, after parsing it tag by tag) around Markdown.
APPARATUS_OPEN = '<div class="apparatus-scroll" tabindex="0" role="region" aria-label="校勘记">'
APPARATUS_CLOSE = "</tbody></table></div>"
APPARATUS_HEAD = "<tr><th>#</th><th>类型</th><th>原文</th><th>校改</th><th>可信度</th><th>说明</th></tr>"


def _apparatus_row(number: int, edit) -> str:
    flag = "（待核）" if edit.confidence is not None and edit.confidence < REVIEW_BELOW else ""
    confidence = "" if edit.confidence is None else f"{edit.confidence:.2f}{flag}"
    cells = [str(number), KIND_LABEL.get(edit.kind, edit.kind), edit.before or "（无）", edit.after or "（删除）",
             confidence, edit.note]
    return f'<tr id="e{number}">' + "".join(f"<td>{_cell(c)}</td>" for c in cells) + "</tr>"


def _cell(text: str) -> str:
    """A value as the text of an HTML cell in a raw HTML block: escaped, and no character Python-Markdown
    would still act on (it leaves raw HTML blocks alone, but a line break would end one)."""
    return html.escape(text, quote=False).translate(ATTRIBUTE_ENTITIES).replace("\n", "<br>")
