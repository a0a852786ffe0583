"""Repair of straddle damage: a site inserted readings with a find/replace on GBK *bytes*. When the
matched byte pair straddled two characters (trail byte of one + lead byte of the next), the inserted
"(" landed after a lead byte, the decoder turned that pair into "?", and the text after it stayed one
byte out of step until it realigned: 當?shù)亟M織 = 當地組織.

Signature: a character, "?", a reading, ")". The lost byte X is the one whose pair with the previous
character's trail byte reads as the annotation says; re-encoding the misaligned run to GBK and prefixing
X recovers the original bytes. A byte that is truly lost becomes a lacuna □, never a guess; a lead byte
whose trail byte is lost is completed by a word-frequency score (jieba) at low confidence, flagged for
review.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .convert import converter
from .edits import Edit
from .repair import PINYIN_LETTERS, readings

STAGE = "repair"
SIGNATURE = re.compile(f"(?P<prev>[^\\x00-\\x7f])\\?(?P<reading>[{PINYIN_LETTERS}]{{1,7}})\\)")
LACUNA = "□"
MAX_RUN = 40


def _bytes(char: str) -> bytes | None:
    try:
        data = char.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return data if len(data) <= 2 else None


def _pair(a: int, b: int) -> str | None:
    try:
        char = bytes([a, b]).decode("gbk")
    except UnicodeDecodeError:
        return None
    return char if len(char) == 1 else None


def _frequencies() -> dict[str, int]:
    from .shift import tokenizer
    return tokenizer().FREQ


def _complete(lead: int, left: str, right: str) -> tuple[str, float] | None:
    """The character with lead byte `lead` that best forms words with its neighbours."""
    t2s = converter("t2s")  # jieba's dictionary is simplified
    freq = _frequencies()
    scored = []
    for trail in range(0x40, 0xFF):
        char = _pair(lead, trail)
        if not char:
            continue
        simple = t2s.convert(left[-1:] + char + right[:1])
        score = max(freq.get(simple[:2], 0), freq.get(simple[1:], 0) if right else 0)
        if score:
            scored.append((score, char))
    if not scored:
        return None
    scored.sort(reverse=True)
    best, total = scored[0], sum(s for s, _ in scored)
    return best[1], round(min(0.75, best[0] / total), 2)


def _recover(text: str, match: re.Match, lead: int, widen: bool = False) -> tuple[str, int, float, list[str]] | None:
    """(recovered text, end of the damaged span, confidence, notes) with `lead` as the lost byte.
    With `widen`, ASCII punctuation in the run is taken as the full-width form a site narrowed."""
    data, end, lost = bytearray([lead]), match.end(), 0
    while end < len(text) and end - match.end() < MAX_RUN:
        char = text[end]
        if char == "\n":
            break
        end += 1
        if char == "?":  # an unreadable pair: the lead byte's partner is lost, and with it a digit
            lost = 1 + (end < len(text) and text[end].isdigit())  # the decoder took as its trail byte
            break
        if widen and "!" <= char <= "~":
            char = chr(ord(char) + 0xFEE0)
        encoded = _bytes(char)
        if encoded is None:
            return None
        data += encoded
        if len(encoded) == 1:  # an ASCII byte: the decoder realigned here
            break
    recovered, notes, i = [], [], 0
    while i + 1 < len(data):
        char = _pair(data[i], data[i + 1])
        if char is None:
            return None  # the run does not realign into valid characters
        recovered.append(char)
        i += 2
    confidence = 0.95
    if i < len(data):  # a dangling lead byte whose trail byte was lost
        guess = _complete(data[i], "".join(recovered) or match["prev"], text[end:end + 1]) if lost else None
        if guess:
            recovered.append(guess[0])
            confidence = guess[1]
            notes.append(f"“{guess[0]}”由前字节 {data[i]:02X} 与词频推定")
        else:
            recovered.append(LACUNA)
            notes.append(f"字节 {data[i]:02X} 之后的字节已失，作缺字")
    if lost == 2:
        recovered.append(LACUNA)
        notes.append("“?”处另有一字节（多为数字）已失，作缺字")
    return "".join(recovered), end, confidence, notes


def _most_likely(found: list, text: str) -> tuple[str, int, float, list[str]]:
    """Of several lost bytes that each realign the run, the one whose reading scores best (jieba route
    probability of the simplified text); confidence falls with the margin."""
    if len(found) == 1:
        return found[0]
    from .shift import best_share, route_logprob
    t2s = converter("t2s")
    scored = sorted(((route_logprob(t2s.convert(r[0] + text[r[1]:r[1] + 4])), i) for i, r in enumerate(found)),
                    reverse=True)
    after, end, confidence, notes = found[scored[0][1]]
    share = best_share([s for s, _ in scored])
    return after, end, round(min(confidence, share, 0.95), 2), notes + [f"另有 {len(found) - 1} 种字节可能，按词频取"]


def straddle_edits(text: str) -> list[Edit]:
    edits = []
    for match in SIGNATURE.finditer(text):
        prev = _bytes(match["prev"])
        if not prev or len(prev) != 2:
            continue
        leads = [x for x in range(0x81, 0xFF) if (c := _pair(prev[1], x)) and match["reading"] in readings(c)]
        found = [r for x in leads if (r := _recover(text, match, x))] or [
            r for x in leads if (r := _recover(text, match, x, widen=True))]
        if not found:
            continue  # no lost byte fits: left to the detector and an erratum
        after, end, confidence, notes = _most_likely(found, text)
        start = match.start("prev") + 1
        if edits and start < edits[-1].start + len(edits[-1].before):
            continue
        edits.append(Edit(STAGE, "gbk-straddle", start, text[start:end], after, kind="straddle",
                          confidence=confidence,
                          note="；".join([f"插入注音“{match['reading']}”的字节替换跨两字，错位复原", *notes])))
    return edits


LOST_CHARACTER = re.compile(f"\\?(?P<reading>[{PINYIN_LETTERS}]{{1,7}})\\)")


@lru_cache(maxsize=1)
def _by_reading() -> dict[str, list[str]]:
    """Every two-byte GBK Han character, by each of its readings."""
    table: dict[str, list[str]] = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            char = _pair(lead, trail)
            if char and "\u4e00" <= char <= "\u9fff":
                for reading in readings(char):
                    table.setdefault(reading, []).append(char)
    return table


def lost_character_edits(text: str) -> list[Edit]:
    """"?shí)": the decoder lost a character together with the "(" after it, but its reading survived.
    The character is chosen among those with that reading, in the script of the text around it, by the
    word-frequency score of the simplified context, at a confidence that is always flagged for review."""
    from .shift import best_share, route_logprob
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
