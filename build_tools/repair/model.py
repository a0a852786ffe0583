"""The language model the repairs share: jieba's dictionary route probability, a character-bigram model
of the clean corpus (`CorpusModel`, built by the build from every document's undamaged paragraphs), the
softmax share that turns scores into a confidence, and the threshold below which a character of which only
the lead byte survived is a lacuna □ rather than the model's best guess (rules/repair.yml); and the GBK
byte pairs both repairs decode."""
from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

import jieba

from .. import vocab

SMOOTHING = 0.1
LACUNA = "□"  # a character whose bytes are lost: never guessed


@dataclass(frozen=True)
class CorpusModel:
    """Character unigram and bigram counts of the clean corpus."""
    unigrams: Counter
    bigrams: Counter

    @classmethod
    def from_paragraphs(cls, paragraphs) -> "CorpusModel":
        unigrams, bigrams = Counter(), Counter()
        for paragraph in paragraphs:
            unigrams.update(paragraph)
            bigrams.update(map("".join, zip(paragraph, paragraph[1:])))
        return cls(unigrams, bigrams)

    @cached_property
    def digest(self) -> str:
        data = "\n".join(f"{k}\t{v}" for k, v in sorted(self.bigrams.items()))
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def logprob(self, text: str) -> float:
        size = max(len(self.unigrams), 1)
        return sum(math.log((self.bigrams[a + b] + SMOOTHING) / (self.unigrams[a] + SMOOTHING * size))
                   for a, b in zip(text, text[1:]))


@lru_cache(maxsize=1)
def tokenizer():
    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba.dt


def best_share(scores: list[float]) -> float:
    """The probability share of the best of several log-probability scores (softmax): a confidence."""
    best = max(scores)
    return 1 / sum(math.exp(score - best) for score in scores)


def route_logprob(text: str) -> float:
    """Log probability of jieba's best segmentation of `text` (its dictionary word frequencies)."""
    tokenizer_ = tokenizer()
    route: dict = {}
    tokenizer_.calc(text, tokenizer_.get_DAG(text), route)
    return route[0][0]


@lru_cache(maxsize=1)
def min_completion_share() -> float:
    """Below this share of the language model's probability, a character of which only the lead byte
    survived is a lacuna rather than the best guess (rules/repair.yml)."""
    return vocab.load_yaml("repair.yml")["lost_byte_completion"]["min_share"]


@lru_cache(maxsize=65536)
def pair(a: int, b: int) -> str | None:
    """The character GBK assigns to bytes a, b (never a user-defined one), or None."""
    try:
        char = bytes([a, b]).decode("gbk")
    except UnicodeDecodeError:
        return None
    return char if len(char) == 1 and not "\ue000" <= char <= "\uf8ff" else None
