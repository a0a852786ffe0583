"""Repair of one-byte-shift mojibake: after an outline numeral a stray byte replaced the separator, so the
GBK stream was read one byte out of step until it resynchronised, and the character at the resync point
lost its trail byte: 2贝葱履芰Φ玫浇一步提升 = 2．创新能力得到进一步提升.

Signature: a paragraph that starts with a numeral followed by a run of two-byte characters. For every run
length k, the repair re-encodes the first k characters to GBK, drops the first (stray) byte, decodes the
pairs and completes the dangling lead byte with every possible trail byte. A language model chooses the
candidate: jieba's dictionary route probability plus a character-bigram model of the clean corpus
(`CorpusModel`, built by the build from every document's undamaged paragraphs). A candidate is accepted
only when it beats the text as it stands by `MIN_GAIN` nats; the separator the stray byte replaced is
restored from rules/repair.yml. When the run length is clear but the character whose trail byte was lost
is not (the best holds less than half the probability among those of that run length), that character is
a lacuna □ and the note names the likeliest ones.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from .. import vocab
from ..clean.edits import Edit
from .model import (
    LACUNA,
    SMOOTHING,
    CorpusModel,
    min_completion_share,
    pair,
    route_logprob,
    tokenizer,
)

STAGE = "repair"
SITE = re.compile(r"(?m)^(?P<num>\d{1,2})(?P<run>[\u4e00-\u9fff][^\n]*)")
MAX_RUN = 16  # characters a shift may run before the stream resynchronises
CONTEXT = 4  # characters after the longest candidate run that are scored too
MIN_GAIN = 6.0  # nats a repair must gain over the text as it stands (measured: damage 8.6+, real text ≤3.0)


def _han(a: int, b: int) -> str | None:
    char = pair(a, b)
    return char if char and "\u4e00" <= char <= "\u9fff" else None


@lru_cache(maxsize=1024)
def candidates(run: str) -> tuple[tuple[int, str], ...]:
    """(k, the k characters that replace run[:k]) for every run length and lost trail byte."""
    found = []
    for k in range(1, min(len(run), MAX_RUN) + 1):
        try:
            data = run[:k].encode("gbk")
        except UnicodeEncodeError:
            break
        if len(data) != 2 * k:
            break  # an ASCII character: the stream had resynchronised before it
        rest = data[1:]
        decoded = [_han(rest[i], rest[i + 1]) for i in range(0, len(rest) - 1, 2)]
        if None in decoded:
            continue
        found += [(k, "".join(decoded) + char) for trail in range(0x40, 0xFF) if (char := _han(rest[-1], trail))]
    return tuple(found)


@lru_cache(maxsize=1)
def settings() -> dict:
    return vocab.load_yaml("repair.yml")["shift"]


def sites(text: str) -> list[re.Match]:
    """Paragraphs that carry the signature and have at least one candidate repair. A numeral followed by
    a unit or counter (12月, 3名) is ordinary text (rules/repair.yml), not checked further."""
    units = settings()["units_after_numeral"]
    return [match for match in SITE.finditer(text)
            if match["run"][0] not in units and candidates(match["run"][:MAX_RUN])]


def _suffix_route(rest: str, offset: int) -> dict[int, tuple[float, int]]:
    """jieba's route table of `rest`, its positions moved by `offset`: in a window whose last characters
    are `rest`, the route from each of those positions depends on them alone."""
    tok = tokenizer()
    route: dict = {}
    tok.calc(rest, tok.get_DAG(rest), route)
    return {position + offset: (value, end + offset) for position, (value, end) in route.items()}


def _route(window: str, k: int, tail: dict[int, tuple[float, int]]) -> float:
    """`route_logprob(window)`, bit for bit (jieba's own DAG and dynamic programme, the same floating-point
    operations in the same order), computed only over the first k positions: the rest come from `tail`
    (`_suffix_route`), shared by every candidate of one run length."""
    tok = tokenizer()
    freq = tok.FREQ
    logtotal = math.log(tok.total)
    size = len(window)
    route = dict(tail)
    for start in range(k - 1, -1, -1):
        ends, i, frag = [], start, window[start]
        while i < size and frag in freq:
            if freq[frag]:
                ends.append(i)
            i += 1
            frag = window[start:i + 1]
        if not ends:
            ends.append(start)
        route[start] = max((math.log(freq.get(window[start:x + 1]) or 1) - logtotal + route[x + 1][0], x)
                           for x in ends)
    return route[0][0]


class _RunLength:
    """The candidates of one run length k, which differ only in their k-th character (the one completed
    with a trail byte): the score of each (`score`) from what they share, the route table after the k
    characters (`_suffix_route`) and the bigram terms away from the k-th character."""

    def __init__(self, window: str, k: int, term):
        tok = tokenizer()
        self.window, self.k, self.term, self.freq, self.logtotal = window, k, term, tok.FREQ, math.log(tok.total)
        self.tail = _suffix_route(window[k:], k)
        self.previous, self.next = window[k - 2:k - 1], window[k:k + 1]
        prefix = window[:k - 1]
        # jieba's DAG scan from position s reaches the k-th character when the fragment from s to just
        # before it is in the prefix dictionary: only those fragments can make a word with it
        self.reaching = [prefix[s:] for s in range(k - 1) if prefix[s:] in self.freq]
        self.before = route_logprob(prefix) if prefix else 0.0
        self.bigrams = (sum(term(window[i:i + 2]) for i in range(k - 2))  # summed left to right, as `logprob`
                        + sum(term(window[i:i + 2]) for i in range(k, len(window) - 1)))

    def score(self, char: str) -> float:
        """`route_logprob(window) + model.logprob(window)` of the window with `char` as its k-th character.
        When that character joins no word (no fragment reaching it, nor it with the next character, is in
        the dictionary), which is so for most trail-byte completions, every segmentation has a boundary on
        both sides of it: the best route is the best of the prefix, plus the character as a word, plus the
        route after it, with no DP. Otherwise jieba's DP over the first k positions (`_route`). The value is
        the same, summed in another order (it may differ in the last bits)."""
        value, freq = self.bigrams, self.freq
        if self.previous:
            value += self.term(self.previous + char)
        if self.next:
            value += self.term(char + self.next)
        if (self.next and char + self.next in freq) or any(fragment + char in freq for fragment in self.reaching):
            k = self.k
            return _route(self.window[:k - 1] + char + self.window[k:], k, self.tail) + value
        return self.before + (math.log(freq.get(char) or 1) - self.logtotal + self.tail[self.k][0]) + value


def shift_edits(text: str, model: CorpusModel) -> list[Edit]:
    separator = settings()["separator"]
    edits = []
    for match in sites(text):
        run = match["run"]
        found = candidates(run[:MAX_RUN])
        width = min(len(run), max(k for k, _ in found) + CONTEXT)

        def score(line: str) -> float:
            window = line[:width]
            return route_logprob(window) + model.logprob(window)

        # The same scores as `score` without running jieba over the whole window for every candidate: the
        # candidates of one run length share most of their score (`_RunLength`); bigram terms are computed
        # once per bigram.
        size = max(len(model.unigrams), 1)
        terms: dict[str, float] = {}

        def term(bigram: str) -> float:
            if (value := terms.get(bigram)) is None:
                value = terms[bigram] = math.log((model.bigrams[bigram] + SMOOTHING)
                                                 / (model.unigrams[bigram[0]] + SMOOTHING * size))
            return value

        groups: dict[int, _RunLength] = {}
        scored = []
        for k, after in found:
            if k not in groups:
                groups[k] = _RunLength((after + run[k:])[:width], k, term)
            scored.append((groups[k].score(after[-1]), k, after))
        scored.sort(reverse=True)
        best, k, after = scored[0]
        if best - score(run) < MIN_GAIN:
            continue  # the paragraph reads better as it stands: a numeral before ordinary text
        shares = [math.exp(s - best) for s, _, _ in scored]
        same_run = [(share, candidate[-1]) for share, (_, k_, candidate) in zip(shares, scored) if k_ == k]
        confidence = round(min(0.95, 1 / sum(shares)), 2)
        completion = "末字由语言模型补足"
        if same_run[0][0] / sum(share for share, _ in same_run) < min_completion_share():
            # the run length is clear but not the character whose trail byte was lost: a lacuna
            likeliest = "、".join(char for _, char in same_run[:3])
            after = after[:-1] + LACUNA
            confidence = round(min(0.95, sum(share for share, _ in same_run) / sum(shares)), 2)
            completion = f"末字仅存前字节，作缺字（语言模型以“{likeliest}”为较可能）"
        edits.append(Edit(STAGE, "gbk-one-byte-shift", match.start("run"), run[:k], separator + after,
                          kind="shift", confidence=confidence,
                          note=f"序号后一字节错入，{k} 字错位；去错入字节重解，{completion}；"
                               f"序号后分隔符“{separator}”为补"))
    return edits
