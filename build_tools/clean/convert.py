"""Stage 4, convert: traditional -> simplified with OpenCC, only when the source is traditional.

Script detection counts the Han characters that OpenCC's t2s changes (traditional-only forms) and the
ones s2t changes (simplified-only forms). Simplified text is never converted.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import opencc

from .. import vocab
from .edits import StageResult, add_step, diff_edits

STAGE = "convert"
HAN = re.compile(f"[{vocab.HAN}]")
TRADITIONAL_SHARE = 0.02  # of Han characters that are traditional-only forms


@lru_cache(maxsize=None)
def converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(f"{config}.json")


TRADITIONAL_ONLY, SIMPLIFIED_ONLY = 1, 2


class _CharScript(dict):
    """{Han character: TRADITIONAL_ONLY if OpenCC's t2s changes it, | SIMPLIFIED_ONLY if s2t does}, filled
    as characters are met (one OpenCC call per character and process, not per character and document)."""

    def __missing__(self, c: str) -> int:
        value = self[c] = ((converter("t2s").convert(c) != c) * TRADITIONAL_ONLY
                           | (converter("s2t").convert(c) != c) * SIMPLIFIED_ONLY)
        return value


_CHAR_SCRIPT = _CharScript()


def detect_script(text: str) -> dict:
    """{'script': simplified|traditional|mixed|none, 'traditional_share', 'simplified_share'}."""
    han = HAN.findall(text)
    if not han:
        return {"script": "none", "traditional_share": 0.0, "simplified_share": 0.0}
    counts = Counter(han)
    t_share = sum(n for c, n in counts.items() if _CHAR_SCRIPT[c] & TRADITIONAL_ONLY) / len(han)
    s_share = sum(n for c, n in counts.items() if _CHAR_SCRIPT[c] & SIMPLIFIED_ONLY) / len(han)
    if t_share >= TRADITIONAL_SHARE:
        # Scraped traditional text keeps some simplified-only forms; "mixed" needs both in earnest.
        script = "mixed" if s_share >= TRADITIONAL_SHARE and s_share * 4 > t_share else "traditional"
    else:
        script = "simplified"
    return {"script": script, "traditional_share": round(t_share, 4), "simplified_share": round(s_share, 4)}


def convert(text: str) -> tuple[StageResult, dict]:
    detected = detect_script(text)
    result = StageResult(text)
    if detected["script"] in ("traditional", "mixed"):
        add_step(result, diff_edits(text, converter("t2s").convert(text), STAGE, "opencc-t2s"))
    return result, detected
