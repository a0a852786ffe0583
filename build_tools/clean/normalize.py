"""Stage 5, normalize: paragraphs and CJK punctuation.

Output: one paragraph per line, paragraphs separated by one blank line, ending with a newline.
Half-width `, : ; ? ! ( )` beside CJK become full-width; numbers (1.4万, 12.8, 5‰~ 8‰, 3:2), Latin
words and URLs are left alone. Spaces between CJK punctuation and text are removed; a space between two
Han characters is kept (it separates a run-in sub-head such as 「村居基层基础工作整治 2012年…」).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .. import vocab
from ..vocab import HAN
from .edits import Edit, StageResult, add_step, regex_edits, run_steps

STAGE = "normalize"
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’…—·"
CJK = re.compile(f"[{HAN}{CJK_PUNCT}]")
URL = re.compile(r"(?:https?|ftp)://[^\s\u3000-\u303f\uff00-\uffef“”]+|www\.[A-Za-z0-9.-]+\.[A-Za-z]{2,}\S*")
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
TERMINAL = "。！？：；…”’」』）"  # a line ending in one of these is not hard-wrapped
MIN_WRAP = 12  # lines shorter than this (titles, headings, a paragraph's last line) do not tell the width
# A number set off by spaces inside Chinese text, as a PDF's text layer writes it (2011 年 5 月 13 日,
# 建党 90 周年, （2011 年, 4 个): spaces on both sides, or on one side with CJK punctuation or the line's
# start on the other. The spaces are the font's, not the author's. A space only before a number that runs
# on into a Han character (整治 2012年11月: a run-in sub-head) is the author's and stays.
PDF_DIGIT_SPACING = re.compile(
    f"(?:(?<=[{HAN}])(?P<left> )|(?<=[（，、；：“”])|^)(?P<number>[0-9](?:[0-9.%\\-]*[0-9%])?)(?P<right> )(?=[{HAN}])"
    f"|(?<=[{HAN}])(?P<left2> )(?P<number2>[0-9](?:[0-9.%\\-]*[0-9%])?)(?=[）。，、；])", re.M)
SPACE = r"[ \t\u00a0]"


QUOTES = "“”‘’\"'"  # shared by Chinese and English text: they do not tell which one a mark belongs to


def _neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    """The nearest characters before `start` and after `end` on the same line that are neither spaces nor
    quotation marks (an English mark before “ stays English: branches,“rebound)."""
    skip = " \t\u00a0" + QUOTES
    i = start - 1
    while i >= 0 and text[i] in skip:
        i -= 1
    j = end
    while j < len(text) and text[j] in skip:
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


def _wrap_width(lines: list[str]) -> int:
    """The width a text was hard-wrapped at, or 0. In a wrapped text many lines share one length, the
    longest (a paragraph's last line is shorter; a title or heading is short), so the most common length
    among the long lines is the width when several lines have it and almost none is longer."""
    long = [len(line) for line in lines if len(line) >= MIN_WRAP]
    if len(long) < 3:
        return 0
    width = max(Counter(long).most_common(), key=lambda item: (item[1], item[0]))[0]
    at_width = sum(1 for n in long if abs(n - width) <= 1)
    longer = sum(1 for n in long if n > width + 1)
    if at_width < 3 or at_width < 0.3 * len(long) or longer > 0.1 * len(long):
        return 0
    return width


def _hard_wrap_edits(text: str) -> list[Edit]:
    """Join hard-wrapped lines (the wrap width read off the line lengths, `_wrap_width`): a line at the
    width that does not end a sentence continues on the next line. Nothing is inserted, across digits too
    (党员44 / 名); two Latin words get their space back."""
    lines = text.split("\n")
    width = _wrap_width(lines)
    if not width:
        return []
    edits, offset = [], 0
    for line, following in zip(lines, lines[1:]):
        offset += len(line) + 1
        if len(line) >= width - 1 and line[-1] not in TERMINAL and following:
            latin = line[-1].isascii() and line[-1].isalpha() and following[0].isascii() and following[0].isalpha()
            edits.append(Edit(STAGE, "hard-wrap", offset - 1, "\n", " " if latin else ""))
    return edits


def _collapsed_break_edits(text: str) -> list[Edit]:
    """Paragraph breaks a site lost (rules/structure.yml, collapsed_breaks): in a long line, before an
    outline marker after a sentence, after the salutation, around a dateline; in a collapsed text (a very
    long line in a text of a few lines, or one where spaces join sentence after sentence), also where a
    space joins two paragraphs and before 一是. Each break is a logged edit."""
    rules = _collapsed_rules()
    edits = []
    offset = 0
    lines = text.split("\n")
    few_lines = sum(1 for line in lines if line.strip()) <= rules["collapsed_max_lines"]
    for line in lines:
        if len(line) >= rules["long_line"]:
            collapsed = len(line) >= rules["collapsed_line"] and (
                len(rules["joins"].findall(line)) >= rules["collapsed_min_joins"]
                or few_lines and rules["signals"].search(line) is not None)
            kinds = ["always"] + (["collapsed"] if collapsed else [])
            found = {}
            for kind in kinds:
                for pattern in rules[kind]:
                    for match in pattern.finditer(line):
                        found.setdefault(match.start("br"), match["br"])
            edits += [Edit(STAGE, "collapsed-paragraph-breaks", offset + at, spaces, "\n")
                      for at, spaces in sorted(found.items())]
        offset += len(line) + 1
    return edits


@lru_cache(maxsize=1)
def _collapsed_rules() -> dict:
    data = vocab.load_yaml("structure.yml")["collapsed_breaks"]
    return {"long_line": data["long_line"], "collapsed_line": data["collapsed_line"],
            "collapsed_max_lines": data["collapsed_max_lines"], "collapsed_min_joins": data["collapsed_min_joins"],
            "joins": re.compile(data["joins"].replace("HAN", HAN)), "signals": re.compile(data["signals"]),
            "always": [re.compile(p.replace("HAN", HAN)) for p in data["always"]],
            "collapsed": [re.compile(p.replace("HAN", HAN)) for p in data["collapsed"]]}


def _join_digits(match: re.Match) -> str:
    return match["number"] or match["number2"]


def normalize(text: str) -> StageResult:
    result = run_steps(text, STAGE, [
        # Paragraphs separated by runs of ideographic spaces inside one line ("。　　——保持…").
        ("ideographic-space-paragraphs", re.compile(r"(?<=\S)[ \t]*\u3000{2,}[ \t]*(?=\S)"), "\n"),
        ("indentation", re.compile(r"^[ \t\u3000\u00a0]+", re.M), ""),
        ("trailing-space", re.compile(r"[ \t\u3000\u00a0]+$", re.M), ""),
    ])
    add_step(result, _hard_wrap_edits(result.text))
    # No paragraph begins with a comma or a closing mark: such a line break was a wrap (or a page break).
    add_step(result, regex_edits(result.text, re.compile(r"(?<=[^\n])\n(?=[、，。；：！？）」』”’])"), STAGE,
                                 "break-before-closing-punctuation", ""))
    add_step(result, regex_edits(result.text, PDF_DIGIT_SPACING, STAGE, "pdf-digit-spacing", _join_digits))
    add_step(result, _collapsed_break_edits(result.text))
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
