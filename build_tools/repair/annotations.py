"""Reading annotations that a site inserted after characters (學(xué)習(xí)).

An annotation is removed only when it is a reading of the character before it (pypinyin, heteronyms
included), so (WTO), (试行) or (a) after an unrelated character survive. Runs before conversion, on
the script the source was scraped in. Each edit carries its kind and a confidence.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, pinyin

from ..clean.edits import Edit
from ..vocab import HAN

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
