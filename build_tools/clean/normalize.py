"""Stage 5, normalize: paragraphs and CJK punctuation.

Output: one paragraph per line, paragraphs separated by one blank line, ending with a newline.
Half-width `, : ; ? ! ( )` beside CJK become full-width; numbers (1.4万, 12.8, 5‰~ 8‰, 3:2), Latin
words and URLs are left alone. Spaces between CJK punctuation and text are removed; a space between two
Han characters is kept (it separates a run-in sub-head such as 「村居基层基础工作整治 2012年…」).
"""
from __future__ import annotations

import re
from collections import Counter

from ..vocab import HAN
from .edits import Edit, StageResult, add_step, run_steps

STAGE = "normalize"
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’…—·"
CJK = re.compile(f"[{HAN}{CJK_PUNCT}]")
URL = re.compile(r"(?:https?|ftp)://[^\s\u3000-\u303f\uff00-\uffef“”]+|www\.[A-Za-z0-9.-]+\.[A-Za-z]{2,}\S*")
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
TERMINAL = "。！？：；…”’」』）"  # a line ending in one of these is not hard-wrapped
SPACE = r"[ \t\u00a0]"


def _neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    """The nearest non-space characters before `start` and after `end` on the same line."""
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    j = end
    while j < len(text) and text[j] in " \t\u00a0":
        j += 1
    before = text[i] if i >= 0 and text[i] != "\n" else ""
    after = text[j] if j < len(text) and text[j] != "\n" else ""
    return before, after


def _in_url(text: str, position: int) -> bool:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if "://" not in line and "www." not in line:
        return False
    return any(m.start() <= position - line_start < m.end() for m in URL.finditer(line))


def _widen_mark(match: re.Match) -> str | None:
    text, mark = match.string, match.group(0)
    if _in_url(text, match.start()):
        return None
    before, after = _neighbours(text, match.start(), match.end())
    if before.isdigit() and after.isdigit():  # 1,000  3:2  12:30
        return None
    if mark == "?" and after and not CJK.match(after):  # 當?shù: a lost byte, not a question mark
        return None
    if CJK.match(before) or CJK.match(after):
        return FULL_WIDTH[mark]
    return None


def _widen_pair(match: re.Match) -> str | None:
    text = match.string
    if _in_url(text, match.start()):
        return None
    before, after = _neighbours(text, match.start(), match.end())
    inner = match.group(1)
    if CJK.search(inner) or CJK.match(before) or CJK.match(after):
        return f"（{inner}）"
    return None


def _hard_wrap_edits(text: str) -> list[Edit]:
    """Join hard-wrapped lines: most lines of a wrapped text share one length (the wrap width)."""
    lines = text.split("\n")
    lengths = [len(line) for line in lines if line]
    if len(lengths) < 5:
        return []
    width, count = Counter(lengths).most_common(1)[0]
    near = sum(1 for n in lengths if abs(n - width) <= 1)
    if width < 20 or near < 0.6 * len(lengths):
        return []
    edits, offset = [], 0
    for line, following in zip(lines, lines[1:]):
        offset += len(line) + 1
        if len(line) >= width - 1 and line[-1] not in TERMINAL and following:
            edits.append(Edit(STAGE, "hard-wrap", offset - 1, "\n", ""))
    return edits


def normalize(text: str) -> StageResult:
    result = run_steps(text, STAGE, [
        # Paragraphs separated by runs of ideographic spaces inside one line ("。　　——保持…").
        ("ideographic-space-paragraphs", re.compile(r"(?<=\S)[ \t]*\u3000{2,}[ \t]*(?=\S)"), "\n"),
        ("indentation", re.compile(r"^[ \t\u3000\u00a0]+", re.M), ""),
        ("trailing-space", re.compile(r"[ \t\u3000\u00a0]+$", re.M), ""),
    ])
    add_step(result, _hard_wrap_edits(result.text))
    steps = run_steps(result.text, STAGE, [
        ("paragraph-breaks", re.compile(r"\n+"), "\n\n"),
        ("document-edges", re.compile(r"\A\n+|\n+\Z"), ""),
        ("no-break-space", re.compile("\u00a0+"), " "),
        ("punctuation-width-pairs", re.compile(r"\(([^()\n]{0,80})\)"), _widen_pair),
        ("punctuation-width-pairs", re.compile(r"\(([^()\n]{0,80})\)"), _widen_pair),
        ("punctuation-width", re.compile(r"[,:;?!()]"), _widen_mark),
        ("space-beside-cjk-punctuation",
         re.compile(f"{SPACE}+(?=[，。、；：？！“‘《（【「『])|(?<=[，。、；：？！“‘《（【「『]){SPACE}+"), ""),
        ("space-before-closing-punctuation", re.compile(f"(?<=[{HAN}]){SPACE}+(?=[”’》）】」』])"), ""),
        # after a closing quote; not after ）or 】, where a space separates a run-in sub-head
        ("space-after-closing-quote", re.compile(f"(?<=[”’》」』]){SPACE}+(?=[{HAN}])"), ""),
        ("repeated-spaces", re.compile(r"(?<=\S) {2,}(?=\S)"), " "),
    ])
    for step in steps.steps:
        add_step(result, step)
    if not result.text.endswith("\n"):
        add_step(result, [Edit(STAGE, "final-newline", len(result.text), "", "\n")])
    return result
