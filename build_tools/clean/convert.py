"""Stage 4, convert: traditional -> simplified with OpenCC, only when the source is traditional.

Script detection counts the Han characters that OpenCC's t2s changes (traditional-only forms) and the
ones s2t changes (simplified-only forms). Simplified text is never converted.
"""
from __future__ import annotations

import re
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


def detect_script(text: str) -> dict:
    """{'script': simplified|traditional|mixed|none, 'traditional_share', 'simplified_share'}."""
    han = HAN.findall(text)
    if not han:
        return {"script": "none", "traditional_share": 0.0, "simplified_share": 0.0}
    t2s, s2t = converter("t2s"), converter("s2t")
    distinct = set(han)
    traditional = {c for c in distinct if t2s.convert(c) != c}
    simplified = {c for c in distinct if s2t.convert(c) != c}
    t_share = sum(c in traditional for c in han) / len(han)
    s_share = sum(c in simplified for c in han) / len(han)
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
