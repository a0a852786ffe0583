"""Stage 7, classify: split a structured document into sections (a yearbook 【条目】 or an outline
section), assign topics from the taxonomy (rules/topics.yml) by jieba segmentation, and extract place
mentions (gazetteer), cited documents (《…》) and attributions. Every topic assignment keeps the terms
that triggered it; TF-IDF keywords (jieba.analyse) rank and describe each section.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import jieba.analyse
import rjieba

from .. import vocab
from ..repair.model import tokenizer as jieba_dictionary
from . import places
from .structure import Document

CITED = re.compile(r"《([^《》\n]{2,60})》")
SNIPPET_CHARS = 80


@lru_cache(maxsize=1)
def taxonomy() -> dict:
    data = vocab.load_yaml("topics.yml")
    return {"min_hits": data["min_hits"], "topics": data["topics"],
            "by_keyword": {kw: t["slug"] for t in reversed(data["topics"]) for kw in t["keywords"]}}


class Segmenter:
    """jieba's segmentation (``lcut``, HMM on) of its default dictionary plus the vocabulary terms, computed
    by rjieba (jieba-rs: jieba's dictionary and algorithm in Rust; measured 10x faster, with the same words
    on the seeds, the fixtures and 300 bench documents, 2.2 M characters). jieba splits a token without a
    Han character that is not a dictionary word (C# is one) at every character outside [a-zA-Z0-9]
    (2022-11-18 -> 2022 - 11 - 18, keeping 3.5 and 95%); jieba-rs keeps it whole: split here as jieba
    does."""

    HAN = re.compile(r"[\u4e00-\u9fd5]")
    ALNUM = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # jieba.finalseg.re_skip

    def __init__(self, words: dict[str, int], dictionary: dict[str, int]):
        self.dictionary = dictionary  # jieba's word frequencies
        self.rjieba = rjieba.Jieba()
        for word, freq in words.items():
            self.rjieba.add_word(word, freq, None)

    def lcut(self, text: str) -> list[str]:
        out = []
        for token in self.rjieba.cut(text, True):
            if len(token) > 1 and not token.isalnum() and not self.HAN.search(token) and not self.dictionary.get(token):
                out += [part for part in self.ALNUM.split(token) if part]
            else:
                out.append(token)
        return out


@lru_cache(maxsize=1)
def tokenizer() -> Segmenter:
    """A segmenter of its own (the repairs' language model must not see these additions) with every
    vocabulary term (topic keywords, place names) added, so compounds stay whole."""
    freq = jieba_dictionary().FREQ
    return Segmenter({term: max(freq.get(term, 0), 2000)
                      for term in sorted(set(taxonomy()["by_keyword"]) | set(place_names()))}, freq)


@lru_cache(maxsize=1)
def _tfidf() -> jieba.analyse.TFIDF:
    return jieba.analyse.TFIDF()


@lru_cache(maxsize=1)
def place_names() -> list[str]:
    """The place names the segmenter keeps whole: every unit's full name, the short names of prefectures
    and provinces (大庆, 海西州), and the hand aliases (经区)."""
    names = set()
    for unit in places.units():
        names.add(unit["name"])
        names.update(unit["aliases"])
        if not places.is_county(unit):
            names.update(s for s in unit["short"] if len(s) >= 2)
    return sorted(names - places.GENERIC)


def places_in(text: str, place: dict | None = None) -> list[str]:
    """The slugs of the places a text mentions: full names, hand aliases, and short names of prefectures
    and provinces. A name several units share (鼓楼区) counts only when the document's own place settles
    it (a unit under the document's city or province); otherwise it is left out."""
    city = (place or {}).get("city")
    province = (place or {}).get("province")
    found = set()
    for _, name in places.scan(text, mentions=True):
        options = [u for u, how in places._names()[name] if how != "short" or not places.is_county(u)]
        current = [u for u in options if not u.get("until")] or options
        if len(current) > 1:
            current = [u for u in current if city in u["path"][:-1]] or \
                      [u for u in current if province == u["path"][0] and province != u["name"]]
        if len(current) == 1:
            found.add(current[0]["slug"])
    return sorted(found)


def normalize_title(title: str) -> str:
    """A cited document's title, normalized: no spaces, full-width parentheses."""
    title = re.sub(r"\s+", "", title).replace("(", "（").replace(")", "）")
    return title.strip("“”\"")


def cited_in(text: str) -> list[str]:
    return sorted({normalize_title(m.group(1)) for m in CITED.finditer(text)})


def sections(doc: Document, title: str) -> list[dict]:
    """Consecutive blocks from one heading to the next: anchor (the heading's, or the first paragraph's
    for text before any heading), heading title, level and the text."""
    out: list[dict] = []
    current = None
    for block in doc.blocks:
        if block.kind == "heading":
            current = {"anchor": block.anchor, "title": block.text, "level": block.level, "parts": []}
            out.append(current)
        elif block.kind in ("paragraph", "attribution"):
            if current is None:
                current = {"anchor": block.anchor, "title": title, "level": 1, "parts": []}
                out.append(current)
            current["parts"].append(block)
    return [{"anchor": s["anchor"], "title": s["title"], "level": s["level"],
             "text": "\n".join(b.text for b in s["parts"]),
             "paragraphs": [b.anchor for b in s["parts"] if b.kind == "paragraph"]}
            for s in out if s["parts"] or s["level"] > 1]


def topics_of(heading: str, text: str, head_words: list[str] | None = None,
              body_words: list[str] | None = None) -> dict[str, dict[str, int]]:
    """{topic slug: {trigger term: count}} for one section (its segmentation may be given: `segment`)."""
    tax = taxonomy()
    tok = tokenizer()
    body = Counter(w for w in (tok.lcut(text) if body_words is None else body_words) if w in tax["by_keyword"])
    head = Counter(w for w in (tok.lcut(heading) if head_words is None else head_words) if w in tax["by_keyword"])
    found: dict[str, Counter] = {}
    for term, count in (body + head).items():
        found.setdefault(tax["by_keyword"][term], Counter())[term] += count
    return {slug: dict(sorted(terms.items())) for slug, terms in sorted(found.items())
            if sum(terms.values()) >= tax["min_hits"] or any(t in head for t in terms)}


def keywords_of(words: list[str], top: int = 6) -> list[str]:
    """TF-IDF keywords of an already segmented text: the same computation as jieba.analyse's
    `extract_tags` (same stop words, weights and order of ties), without segmenting again."""
    tfidf = _tfidf()
    freq: dict[str, float] = {}
    for w in words:
        if len(w.strip()) < 2 or w.lower() in tfidf.stop_words:
            continue
        freq[w] = freq.get(w, 0.0) + 1.0
    total = sum(freq.values())
    for k in freq:
        freq[k] *= tfidf.idf_freq.get(k, tfidf.median_idf) / total
    return sorted(freq, key=freq.__getitem__, reverse=True)[:top]


def classify(doc: Document, meta: dict) -> list[dict]:
    """The document's sections with topics (and their trigger terms), keywords, places and citations."""
    removed = set(meta.get("topics_remove", []))
    out = []
    for section in sections(doc, meta["title"]):
        text = section["text"]
        # one segmentation per section: jieba cuts `title + "\n" + text` as the title's words, the line
        # break and the text's words (a line break always ends a block), so topics and TF-IDF share them
        head_words, body_words = tokenizer().lcut(section["title"]), tokenizer().lcut(text)
        topics = {k: v for k, v in topics_of(section["title"], text, head_words, body_words).items()
                  if k not in removed}
        out.append({
            "anchor": section["anchor"], "title": section["title"], "level": section["level"],
            "snippet": text.replace("\n", " ")[:SNIPPET_CHARS] + ("…" if len(text) > SNIPPET_CHARS else ""),
            "chars": len(text), "topics": topics, "keywords": keywords_of([*head_words, "\n", *body_words]),
            "places": places_in(section["title"] + text, meta["place"]), "cited": cited_in(text),
            "paragraphs": section["paragraphs"],
        })
    return out


def document_topics(sections_: list[dict], meta: dict) -> list[str]:
    """Topics of the whole document: those of its sections, plus metadata topics_add, less topics_remove."""
    slugs = {slug for s in sections_ for slug in s["topics"]} | set(meta.get("topics_add", []))
    return sorted(slugs - set(meta.get("topics_remove", [])))
