"""Repair of straddle damage: a site inserted readings with a find/replace on GBK *bytes*. When the
matched byte pair straddled two characters (trail byte of one + lead byte of the next), the inserted
"(" landed after a lead byte, the decoder turned that pair into "?", and the text after it stayed one
byte out of step until it realigned: 當?shù)亟M織 = 當地組織.

Signature: a character, "?", a reading, ")". The lost byte X is one whose pair with the previous
character's trail byte reads as the annotation says. From there the repair inverts the decoder on the
misaligned run, token by token. Each output character is two bytes of the original stream (trail of one
character, lead of the next). Where a token is ambiguous, every reading is followed:
- an ASCII letter is either the trail byte at which the stream realigned, or a full-width character the
  site narrowed (Ｈ → H);
- a "?" is a pair the decoder could not read. Its first byte is the trail 0x80, after which the next
  character's lead byte is lost and the run goes on out of step; or it is a trail byte lost together with
  an ASCII byte: the "(" of the next annotation (its reading names the character) or a character of the
  text (a digit), after which the stream is in step again.
Every hypothesis that decodes into valid GBK characters is scored by a language model over a common
horizon of the text (jieba's route probability of the simplified text, a penalty for characters foreign
to Chinese text and for each byte the hypothesis says is lost), and the best one is taken; its share of
the probability is its confidence. A byte that is truly lost becomes a lacuna □, never a guess. A lead
byte whose trail byte is lost is completed by its annotation's reading when one follows; otherwise by the
same language model at a confidence flagged for review, but only when the best character holds at least
half the probability; otherwise it is a lacuna too. Parameters are data (rules/repair.yml).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import vocab
from ..clean.convert import converter
from ..clean.edits import Edit
from .annotations import PINYIN_LETTERS, readings
from .model import LACUNA, best_share, min_completion_share, pair, route_logprob

STAGE = "repair"
READING = f"[{PINYIN_LETTERS}]{{1,7}}"
SIGNATURE = re.compile(f"(?P<prev>[^\\x00-\\x7f]|[!-/:->@\\[-`{{-~])\\?(?P<reading>{READING})\\)")  # narrowed ，too
# The same damage read by a decoder that replaces only the unreadable byte and keeps the next one, so the
# annotation's "(" survives: 中?(xíng)墓ぷ? for 中心工作.
SIGNATURE_KEPT = re.compile(f"(?P<prev>[^\\x00-\\x7f]|[!-/:->@\\[-`{{-~])\\?\\((?P<reading>{READING})\\)")
READING_OPEN_CLOSE = re.compile(f"\\((?P<reading>{READING})\\)")
DECODER_NOTE = {False: "网站解码器吞掉不可读字节后的一个字节", True: "网站解码器只替换不可读字节、保留其后字节"}
READING_CLOSE = re.compile(f"(?P<reading>{READING})\\)")
TRAILS = [*range(0x40, 0x7F), *range(0x80, 0xFF)]


@lru_cache(maxsize=1)
def settings() -> dict:
    return vocab.load_yaml("repair.yml")["straddle"]


@lru_cache(maxsize=1)
def _foreign() -> re.Pattern:
    return re.compile(settings()["foreign_to_chinese"])


def _widened(char: str) -> str:
    """The full-width form a site narrowed to ASCII (，→ ,); other characters unchanged."""
    return chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char


def _token_bytes(char: str) -> bytes | None:
    """The two bytes a decoded character came from (a private-use character from GBK's user-defined areas
    included), or None."""
    try:
        data = char.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return data if len(data) == 2 else None


@lru_cache(maxsize=4096)
def _complete(lead: int, left: str, right: str) -> tuple[str, float]:
    """The character with lead byte `lead` that reads best between its neighbours (the same language
    model as the hypotheses), and its share of the probability among all characters with that lead."""
    scored = sorted(((_score(left[-2:] + char + right[:2]), char) for trail in TRAILS
                     if (char := pair(lead, trail))), reverse=True)
    return scored[0][1], best_share([score for score, _ in scored])


@dataclass(frozen=True)
class Hypothesis:
    """One way the damaged run came about. `chars` holds, per original character, the character or, as an
    int, the lead byte of a character whose trail byte is lost. `end` is where the run ends in the damaged
    text, `lost` how many bytes the hypothesis says are lost."""
    chars: tuple
    end: int
    lost: int
    notes: tuple = ()


def _walk(text: str, pos: int, lead: int | None, chars: tuple, lost: int, notes: tuple, budget: list,
          kept: bool = False):
    """Hypotheses for the misaligned run from `pos`, where `lead` is the pending character's lead byte
    (None if it was lost). Each output token supplies the pending character's trail and the next lead.
    `budget` is a one-item list shared by the whole search: the tokens it may still visit. With `kept`, the
    site's decoder replaced only an unreadable byte and kept the next one: a "?" is one byte."""
    budget[0] -= 1
    if budget[0] < 0 or pos >= len(text) or len(chars) > settings()["max_run"]:
        return
    token = text[pos]

    def char(trail: int) -> str | None:
        if lead is None:
            return LACUNA
        return pair(lead, trail)

    if token == "?" and kept:  # the pending character's trail byte, unreadable with the next: realigned after
        close = READING_OPEN_CLOSE.match(text, pos + 1)
        if close and lead is not None:  # the "(" of the pending character's own annotation follows
            reading = close["reading"]
            for one in (c for t in TRAILS if (c := char(t)) and reading in readings(c)):
                yield Hypothesis(chars + (one,), close.end(), lost, notes + (
                    f"末字尾字节不可读，由前字节 {lead:02X} 与注音“{reading}”定",))
        elif lead is not None:
            yield Hypothesis(chars + (lead,), pos + 1, lost + 1, notes)
        return
    if token == "?":
        close = READING_CLOSE.match(text, pos + 1)
        if close:  # the "(" of the pending character's own annotation: its reading names it
            reading = close["reading"]
            named = () if lead is None else tuple(c for t in TRAILS if (c := char(t)) and reading in readings(c))
            for one in named:
                yield Hypothesis(chars + (one,), close.end(), lost, notes + (
                    f"末字后字节与注音“{reading}”前的“(”同失，由前字节 {lead:02X} 与读音定",))
            return
        if lead is not None and pos + 1 == len(text):  # the text ended after a lead byte
            yield Hypothesis(chars + (lead,), pos + 1, lost + 1, notes)
        elif lead is not None:  # a trail byte lost with an ASCII character of the text (a digit)
            yield Hypothesis(chars + (lead, LACUNA), pos + 1, lost + 2,
                             notes + ("“?”处另有一字节（数字、空格或半角标点）已失，作缺字",))
            if found := char(0x80):  # trail 0x80, unreadable as a lead: the next lead byte is lost
                yield from _walk(text, pos + 1, None, chars + (found,), lost + 1,
                                 notes + ("尾字节 80 与下一字前字节不可读，该字作缺字",), budget)
        return
    if token < "\x80":
        if "\x40" <= token <= "\x7e" and (found := char(ord(token))):  # the stream realigned here
            yield Hypothesis(chars + (found,), pos + 1, lost, notes)
        if not "!" <= token <= "~":
            return
        token = _widened(token)  # a full-width character the site narrowed
    data = _token_bytes(token)
    if data and (found := char(data[0])):
        yield from _walk(text, pos + 1, data[1], chars + (found,), lost, notes, budget, kept)


def _score(window: str, lost: int = 0) -> float:
    """Log probability of a window of text: jieba's route probability for each run of Han characters
    (simplified), fixed log probabilities for a punctuation mark and for any other token (an ASCII word,
    a digit string, a lacuna, a symbol), a penalty per character foreign to Chinese text and per byte the
    hypothesis says is lost. Readings in the window, "(reading)" or a later run's "?reading)", are left
    out: later stages remove them, and every hypothesis that stops before one would pay for it."""
    rules = settings()
    score = -rules["lost_byte_penalty"] * lost
    for token in TOKENS.findall(ANNOTATION_NOISE.sub("", window)):
        if HAN_RUN.fullmatch(token):
            score += route_logprob(converter("t2s").convert(token))
        elif token in rules["punctuation"]:
            score += rules["punctuation_logprob"]
        elif _foreign().fullmatch(token):
            score -= rules["foreign_penalty"]
        else:
            score += rules["symbol_logprob"]
    return score


HAN_RUN = re.compile(f"[{vocab.HAN}]+")
TOKENS = re.compile(f"{HAN_RUN.pattern}|[A-Za-z0-9]+|.", re.S)
ANNOTATION_NOISE = re.compile(f"[?(]{READING}\\)")


def _resolve(hypothesis: Hypothesis, text: str, left: str) -> tuple[str, str, float, list[str]]:
    """The hypothesis's text with each character whose trail byte is lost completed, or a lacuna where
    the completion is not clear enough; the same text with every completion, for scoring; its confidence
    and notes."""
    shown, scored, confidence, notes = [], [], 1.0, list(hypothesis.notes)
    for i, item in enumerate(hypothesis.chars):
        if isinstance(item, str):
            shown.append(item)
            scored.append(item)
            continue
        after = "".join(c for c in hypothesis.chars[i + 1:i + 3] if isinstance(c, str)) or text[hypothesis.end:][:2]
        char, share = _complete(item, (left + "".join(scored))[-2:], after[:2])
        scored.append(char)
        if share >= min_completion_share():
            shown.append(char)
            confidence = min(confidence, share, settings()["completion_confidence"])
            notes.append(f"“{char}”由前字节 {item:02X} 与语言模型推定")
        else:
            shown.append(LACUNA)
            notes.append(f"字节 {item:02X} 之后的字节已失，作缺字")
    return "".join(shown), "".join(scored), confidence, notes


def _hypotheses(text: str, match: re.Match, kept: bool = False) -> list[Hypothesis]:
    """Every hypothesis for the run after a signature, over every lost byte X that fits the reading."""
    prev = _token_bytes(_widened(match["prev"]))
    if not prev:
        return []
    found = []
    for lead in range(0x81, 0xFF):
        named = pair(prev[1], lead)
        if named and match["reading"] in readings(named):
            found += _walk(text, match.end(), lead, (), 0, (), [settings()["max_branches"]], kept)
    return found


def straddle_edits(text: str) -> list[Edit]:
    """Straddle repairs, read with the decoder the text shows: where an annotation's "(" survived after the
    "?" (SIGNATURE_KEPT) the site's decoder kept the byte after an unreadable one; else it swallowed it."""
    rules = settings()
    edits = []
    kept = SIGNATURE_KEPT.search(text) is not None
    for match in (SIGNATURE_KEPT if kept else SIGNATURE).finditer(text):
        start = match.start("prev") + 1
        if edits and start < edits[-1].start + len(edits[-1].before):
            continue
        found = _hypotheses(text, match, kept)
        if not found:
            continue  # no lost byte fits: left to the detector and an erratum
        horizon = max(h.end for h in found) + rules["context"]
        left = "".join(map(_widened, text[max(0, start - rules["context"]):start]))
        resolved = [(_resolve(h, text, left), h) for h in found]
        scores = [_score(left + read + text[h.end:horizon], h.lost) for (_, read, _, _), h in resolved]
        best = max(range(len(found)), key=lambda i: (scores[i], -i))
        (after, _, confidence, notes), hypothesis = resolved[best]
        share = best_share(scores)
        if others := len({shown for (shown, _, _, _), _ in resolved}) - 1:
            notes = notes + [f"另有 {others} 种解读，按语言模型取"]
        edits.append(Edit(STAGE, "gbk-straddle", start, text[start:hypothesis.end], after, kind="straddle",
                          confidence=round(min(0.95, confidence, share), 2),
                          note="；".join([f"插入注音“{match['reading']}”的字节替换跨两字，错位复原",
                                          DECODER_NOTE[kept], *notes])))
    return edits


LOST_CHARACTER = re.compile(f"\\?(?P<reading>{READING})\\)")


@lru_cache(maxsize=1)
def _by_reading() -> dict[str, list[str]]:
    """Every two-byte GBK Han character, by each of its readings."""
    table: dict[str, list[str]] = {}
    for lead in range(0x81, 0xFF):
        for trail in TRAILS:
            char = pair(lead, trail)
            if char and "\u4e00" <= char <= "\u9fff":
                for reading in readings(char):
                    table.setdefault(reading, []).append(char)
    return table


def lost_character_edits(text: str) -> list[Edit]:
    """"?shí)": the decoder lost a character together with the "(" after it, but its reading survived.
    The character is chosen among those with that reading, in the script of the text around it, by the
    word-frequency score of the simplified context, at a confidence that is always flagged for review."""
    t2s, s2t = converter("t2s"), converter("s2t")
    edits = []
    for match in LOST_CHARACTER.finditer(text):
        left, right = text[max(0, match.start() - 4):match.start()], text[match.end():match.end() + 4]
        same_script = s2t if t2s.convert(left + right) != left + right else t2s
        chars = [c for c in _by_reading().get(match["reading"], []) if same_script.convert(c) == c]
        scored = sorted(((route_logprob(t2s.convert(left + c + right)), c) for c in chars), reverse=True)
        if not scored:
            continue
        share = best_share([s for s, _ in scored])
        edits.append(Edit(STAGE, "lost-character", match.start(), match.group(0), scored[0][1], kind="lacuna",
                          confidence=round(min(0.75, share), 2),
                          note=f"字已失而注音“{match['reading']}”尚存；按读音与词频补“{scored[0][1]}”"))
    return edits
