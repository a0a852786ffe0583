"""Round-trip variants: words a GB/Big5 conversion wrote with a character of the wrong standard (乾部,
人纔, 支橕, 提昇), corrected in context as marked emendations. The words are data (rules/variants.yml):
whole words only, never a character map, so 乾隆 stays."""
from __future__ import annotations

import re
from functools import lru_cache

from .. import vocab
from ..clean.edits import Edit

STAGE = "repair"


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern | None, dict[str, str], float, str]:
    data = vocab.load_yaml("variants.yml")
    words = {w["variant"]: w["correction"] for w in data["words"]}
    pattern = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) if words else None
    return pattern, words, data["confidence"], data["note"]


def variant_edits(text: str) -> list[Edit]:
    pattern, words, confidence, note = _rules()
    if pattern is None:
        return []
    return [Edit(STAGE, "round-trip-variant", m.start(), m.group(0), words[m.group(0)], kind="variant",
                 confidence=confidence, note=f"{note}：{m.group(0)} → {words[m.group(0)]}")
            for m in pattern.finditer(text)]
