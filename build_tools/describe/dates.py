"""The date of a source without a sidecar, by precedence: the dateline under the title (（2010年2月25日）),
the date under a signature (落款, also in Chinese numerals: 二〇〇九年十二月二十日), a news lead's day (the
story's dateline: 3月1日, 昨日) with the year of the paper's issue, of the page's posting or of the text,
a year in the title, a journal issue's year, then a year in the text. Each with its precision (day, month, year) and its evidence in
words. A range (2013—2017年), a year cited in a 《》 title, a journal issue number (第5期) and a page's
posting time are never the document's date: a posting time only dates a news lead's day or 今年.
The shapes are data (rules/inference.yml)."""
from __future__ import annotations

import datetime
import re
from collections import Counter
from functools import lru_cache

from .. import vocab

CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
MONTHS = {name: number for number, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], 1)}


@lru_cache(maxsize=None)
def rules() -> dict:
    data = vocab.load_yaml("inference.yml")["dates"]
    return {key: re.compile(value, re.M) if isinstance(value, str) else value for key, value in data.items()}


def _number(text: str | None) -> int | None:
    """An Arabic or Chinese numeral (二〇〇九, 十二, 二十) as a number."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(units, 0) if units else 0)
    return int("".join(str(CN_DIGITS[c]) for c in text))


def _value(year: int, month: int | None = None, day: int | None = None) -> tuple[str, str] | None:
    """(value, precision), or None for an impossible date."""
    try:
        if day:
            return datetime.date(year, month, day).isoformat(), "day"
        if month:
            datetime.date(year, month, 1)
            return f"{year:04d}-{month:02d}", "month"
    except (ValueError, TypeError):
        return None
    return (f"{year:04d}", "year") if 1900 <= year <= 2100 else None


def _date(value: tuple[str, str], evidence: str, says: str) -> dict:
    return {"value": value[0], "precision": value[1], "inferred": True, "evidence": evidence, "text_says": says}


def posted(text: str | None) -> datetime.date | None:
    """A posting or issue date as the page printed it (2010-03-01 09:12, 2016/3/29, 2018年12月27日,
    Tuesday, August 31, 2010)."""
    if not text:
        return None
    match = re.match(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", text)
    if match:
        parts = [int(g) for g in match.groups()]
    else:
        match = re.search(r"([A-Z][a-z]+) (\d{1,2}), (\d{4})", text)
        if not match or match.group(1) not in MONTHS:
            return None
        parts = [int(match.group(3)), MONTHS[match.group(1)], int(match.group(2))]
    try:
        return datetime.date(*parts)
    except ValueError:
        return None


def _text_years(text: str) -> list[str]:
    r = rules()
    text = r["not_year"].sub(" ", text)
    return [m.group("y") for m in r["year"].finditer(text)]


def infer(paragraphs: list[str], title: str, genre: str, provenance: dict[str, str] | None,
          title_start: int = 0) -> dict:
    r = rules()
    provenance = provenance or {}
    head = "\n".join(paragraphs)[:r["dateline_within_chars"]]
    for match in [*r["dateline"].finditer(head), *r["dateline_iso"].finditer(head)]:
        value = _value(int(match.group("y")), int(match.group("m")), _number(match.group("d")))
        if value:
            says = match.group(0).strip()
            return _date(value, f"标题下的题注日期“{says}”", says)

    for number, paragraph in enumerate(paragraphs):
        match = r["signature"].match(paragraph)
        if not match and number >= len(paragraphs) - r["signature_iso_last_paragraphs"]:
            match = r["signature_iso"].match(paragraph)
        if match and number > title_start:
            value = _value(_number(match.group("y")), _number(match.group("m")), _number(match.group("d")))
            if value:
                signer = paragraphs[number - 1] if number and len(paragraphs[number - 1]) <= 30 else ""
                where = f"（署名“{signer}”之下）" if signer else ""
                return _date(value, f"落款日期“{paragraph}”{where}", paragraph)

    body = [p for p in paragraphs[title_start + 1:]] or paragraphs
    if genre == "新闻报道":
        found = _news_date(body, provenance, [title, *paragraphs])
        if found:
            return found

    if title and not title.startswith("〔"):
        match = r["title_year"].search(r["not_year"].sub(" ", title))
        if match:
            return _date(_value(int(match.group("y"))), f"标题中的年份“{match.group('y')}年”", match.group(0))

    issue = provenance.get("journal_issue")
    if issue:
        year = re.match(r"\d{4}", issue).group(0)
        return _date(_value(int(year)), f"期刊期次“{issue}”（取其年份，期次不是月份）", issue)

    if genre not in r["no_text_year"]:
        if genre == "年鉴条目":
            for paragraph in body:
                match = r["entry_year"].match(paragraph)
                if match:
                    year = match.group("y")
                    return _date(_value(int(year)), f"条目开篇所记年份“{year}年”", match.group(0))
        years = _text_years("\n".join(body))
        if years:
            year, count = Counter(years).most_common(1)[0]
            return {"value": year, "precision": "year", "inferred": True,
                    "evidence": f"正文中出现最多的年份“{year}年”（共{count}次）"}
    why = "志书所记年代不是成书日期，" if genre in r["no_text_year"] else ""
    return {"value": None, "precision": "unknown", "inferred": True, "evidence": f"{why}正文中未见文献日期"}


def _news_date(body: list[str], provenance: dict[str, str], paragraphs: list[str]) -> dict | None:
    """A news item: the lead's day with the year of the paper's issue, the page's posting or the text."""
    r = rules()
    issue = posted(provenance.get("issue_date"))
    post = posted(provenance.get("posted_at"))
    anchor, anchor_words = (issue, f"报纸版面日期“{provenance.get('issue_date')}”") if issue else (
        (post, f"网页发布时间“{provenance.get('posted_at')}”") if post else (None, ""))
    lead = "".join(body[:2])
    for word, shift in r["lead_relative"].items():
        at = lead.find(word)
        if 0 <= at <= r["lead_relative_within_chars"] and anchor:
            day = anchor + datetime.timedelta(days=shift)
            return _date((day.isoformat(), "day"), f"新闻导语“{word}”，据{anchor_words}推算", word)
    match = r["lead_date"].search(lead)
    if match:
        month, day = int(match.group("m")), int(match.group("d"))
        if anchor:
            year = anchor.year - (1 if (month, day) > (anchor.month, anchor.day) and anchor.month < 3 and month > 10
                                  else 0)
            source = anchor_words
        else:
            years = _text_years("\n".join(paragraphs))
            if not years:
                return None
            year = int(Counter(years).most_common(1)[0][0])
            source = f"正文中的年份“{year}年”"
        value = _value(year, month, day)
        if value:
            return _date(value, f"新闻导语日期“{match.group('m')}月{match.group('d')}日”，年份据{source}",
                         f"{match.group('m')}月{match.group('d')}日")
    if anchor and r["this_year"].search(lead):
        return _date(_value(anchor.year), f"新闻称“今年”，年份据{anchor_words}", "今年")
    return None
