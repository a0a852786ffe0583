"""Stage 3, repair: apply the errata (errata.py: they override automatic repairs), remove reading
annotations that a site inserted after characters (annotations.py), undo the byte-level damage the same
insertion did where it straddled two characters (straddle.py), remove the readings that follow the
characters it restored, correct round-trip variants in context (variants.py), and undo the one-byte
shifts after outline numerals (shift.py).

Runs before conversion, on the script the source was scraped in. Each edit carries its kind and a
confidence.
"""
from __future__ import annotations

from ..clean.edits import Edit, StageResult, add_step
from . import shift
from .annotations import pinyin_edits
from .straddle import lost_character_edits, straddle_edits
from .variants import variant_edits


def repair(text: str, model=None, errata: list[Edit] | None = None) -> StageResult:
    """Errata first (errata.py: they override automatic repairs), then pinyin, straddle and lost-character
    repairs; with a corpus model (model.CorpusModel), the one-byte-shift repair too (the build supplies
    the model once the corpus is cleaned)."""
    result = StageResult(text)
    add_step(result, errata or [])
    add_step(result, pinyin_edits(result.text))
    add_step(result, straddle_edits(result.text))
    add_step(result, pinyin_edits(result.text))  # readings after a character the straddle repair restored
    add_step(result, lost_character_edits(result.text))
    add_step(result, variant_edits(result.text))
    if model is not None:
        add_step(result, shift.shift_edits(result.text, model))
    return result
