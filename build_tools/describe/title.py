"""The title of a source without a sidecar: the first title-like line after the chrome (the strip stage
has removed the chrome and a repeated title), past a volume line, a document number, a red head or an
issuing organ's line; a gazetteer section's name without its number; a news headline under its kicker,
a title with its "——" sub-headline; the name of the single 【entry】 of an entry page. Never a file name
and never chrome: a text with no title gets a supplied one in 〔〕 (from genre, place and first
sentence), marked as supplied. The shapes are data (rules/inference.yml)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import vocab
from . import structure


@dataclass
class Title:
    text: str
    evidence: str
    supplied: bool = False
    start: int = 0  # index of the paragraph the title was read from (the body starts after it)


@lru_cache(maxsize=None)
def rules() -> dict:
    data = vocab.load_yaml("inference.yml")["title"]
    return {key: re.compile(value) if isinstance(value, str) else value for key, value in data.items()}


def _matches(key: str, paragraph: str) -> re.Match | None:
    return rules()[key].search(paragraph)


def title_like(paragraph: str) -> bool:
    """A line that can be a title: short, no sentence end, not an entry, an outline heading, a
    salutation, a speaker's line, a dateline, a news lead or a date."""
    if not structure.is_title_line(paragraph) or not re.search(r"[^\W\d_]", paragraph):
        return False
    if paragraph.startswith(("（", "(")) or re.fullmatch(r"[\d\s年月日〇○零一二三四五六七八九十xX×_*]+", paragraph):
        return False
    return not any(_matches(key, paragraph) for key in ("salutation", "speaker", "news_lead"))


def _front_matter(paragraph: str) -> str:
    """What a line above the title is ("" when it is not one of them), for the evidence."""
    for key, words in (("volume", "卷次行"), ("doc_number", "文号"), ("red_head", "文件版头")):
        if _matches(key, paragraph):
            return words
    return ""


def infer(paragraphs: list[str]) -> Title | None:
    """The title read off the first paragraphs of the cleaned text, or None when the text has none."""
    skipped: list[str] = []
    i = 0
    while i < min(len(paragraphs), 8) and _front_matter(paragraphs[i]):
        skipped.append(f"{_front_matter(paragraphs[i])}“{paragraphs[i]}”")
        i += 1
    if i >= len(paragraphs):
        return None
    after = "（跳过" + "、".join(skipped) + "）" if skipped else ""

    # A gazetteer: the deepest consecutive division line names the section.
    division = None
    while i < len(paragraphs) and _matches("division", paragraphs[i]):
        division = (i, _matches("division", paragraphs[i]))
        i += 1
    if division:
        index, match = division
        return Title(match.group("title").strip(), f"志书节名“{paragraphs[index]}”，去掉节次{after}", start=index)

    first = paragraphs[i]
    following = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
    if _matches("organ", first) and title_like(following) and not _matches("organ", following):
        after += f"（发文机关行“{first}”在标题之上）"
        i += 1
        first, following = following, paragraphs[i + 1] if i + 1 < len(paragraphs) else ""

    entry = structure.rules()["entry"]
    if entry.match(first):
        entries = [p for p in paragraphs if entry.match(p)]
        if len(entries) == 1:
            return Title(entry.match(first).group("title"), f"全文唯一的条目名“【{entry.match(first).group('title')}】”",
                         start=i)
        return None

    if len(first) > structure.rules()["heading_max_chars"]:  # a collapsed text: its first run
        match = _matches("collapsed_first", first)
        if match and title_like(match.group("title")) and not structure._outline_marker(match.group("title")):
            return Title(match.group("title"), f"正文首行开头“{match.group('title')}”（全文连排，无分段）{after}", start=i)
        return None
    if not title_like(first):
        return None

    if following and _matches("kicker", first) and title_like(following) and not _matches("organ", following) \
            and not _matches("subtitle", following):
        return Title(following, f"新闻主标题“{following}”（其上“{first}”为引题）{after}", start=i + 1)
    if following and _matches("subtitle", following) and len(following) <= structure.rules()["heading_max_chars"] \
            and "。" not in following:
        return Title(first + following, f"标题“{first}”及副题“{following}”{after}", start=i + 1)
    match = _matches("speaker_prefix", first)
    if match:
        return Title(match.group("title"), f"正文首行“{first}”，去掉讲话人“{match.group('speaker')}”{after}",
                     start=i)
    return Title(first, f"正文首个标题行“{first}”{after}", start=i)


def supplied(paragraphs: list[str], genre: str, place: str | None) -> Title:
    """A title in 〔〕 for a text with none: its genre, its place, and what its first sentence says."""
    r = rules()
    body = [p for p in paragraphs if not _matches("salutation", p) and len(p) > 8] or paragraphs or [""]
    first = body[0]
    fragment = bool(_matches("fragment_start", paragraphs[0])) if paragraphs else False
    marker = structure._outline_marker(first)
    if marker:
        first = re.sub(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十\d]{1,3}）|\d{1,2}[．.、])", "", first)
    sentence = re.split(r"[。！？；]", first, maxsplit=1)[0]
    sentence = r["supplied_drop"].sub("", sentence, count=1).strip("，, ")
    if len(sentence) > r["supplied_max_chars"]:
        sentence = re.split(r"[，,：]", sentence, maxsplit=1)[0][:r["supplied_max_chars"]]
    kind = genre if genre != "其他" else "文献"
    if place and place not in sentence:
        kind = place + kind
    text = f"〔{kind}{'（片段）' if fragment else ''}：{sentence}〕" if sentence else f"〔{kind}〕"
    where = "开头残缺的片段，" if fragment else ""
    return Title(text, f"原文无标题（{where}由体裁、地点与首句拟定）", supplied=True)
