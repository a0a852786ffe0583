"""Stage 3, repair: remove reading annotations that a site inserted after characters (學(xué)習(xí)),
then undo the byte-level damage the same insertion did where it straddled two characters (straddle.py),
remove the readings that follow the characters it restored, and undo the one-byte shifts after outline
numerals (shift.py).

An annotation is removed only when it is a reading of the character before it (pypinyin, heteronyms
included), so (WTO), (试行) or (a) after an unrelated character survive. Runs before conversion, on
the script the source was scraped in. Each edit carries its kind and a confidence.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, pinyin

from . import shift
from .vocab import HAN
from .edits import Edit, StageResult, add_step

STAGE = "repair"
PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêḿńňǹ"
ANNOTATION = re.compile(f"(?P<han>[{HAN}])(?P<note>[(（](?P<reading>[{PINYIN_LETTERS}]{{1,7}})[)）])")


@lru_cache(maxsize=20000)
def readings(char: str) -> frozenset[str]:
    found = pinyin(char, style=Style.TONE, heteronym=True, errors="ignore")
    return frozenset(found[0]) if found else frozenset()


def pinyin_edits(text: str) -> list[Edit]:
    edits = []
    for match in ANNOTATION.finditer(text):
        if match["reading"] in readings(match["han"]):
            edits.append(Edit(STAGE, "pinyin-annotation", match.start("note"), match["note"], "",
                              kind="pinyin", confidence=1.0,
                              note=f"{match['han']} 的注音 {match['reading']}"))
    return edits


def repair(text: str, model=None, errata: list[Edit] | None = None) -> StageResult:
    """Errata first (errata.py: they override automatic repairs), then pinyin, straddle and lost-character
    repairs; with a corpus model (shift.CorpusModel), the one-byte-shift repair too (the build supplies
    the model once the corpus is cleaned)."""
    from .straddle import lost_character_edits, straddle_edits  # they build on the readings above
    result = StageResult(text)
    add_step(result, errata or [])
    add_step(result, pinyin_edits(result.text))
    add_step(result, straddle_edits(result.text))
    add_step(result, pinyin_edits(result.text))  # readings after a character the straddle repair restored
    add_step(result, lost_character_edits(result.text))
    if model is not None:
        add_step(result, shift.shift_edits(result.text, model))
    return result
