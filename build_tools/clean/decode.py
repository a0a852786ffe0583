"""Stage 1, decode: raw bytes -> text. Detects the encoding, then normalizes line endings and NFC.

The decoded raw text (before line-ending and NFC steps) is what the edit log replays from.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from ..errors import SourceError
from .edits import StageResult, add_step, diff_edits, regex_edits

STAGE = "decode"
BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
# Encodings a Chinese web page is found in; GB18030 is a superset of GBK and GB2312.
CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16", "utf_16_le", "utf_16_be"]
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
NEWLINES = re.compile(r"\r\n?")


def detect(raw: bytes, path) -> tuple[str, str]:
    """Return (decoded raw text, encoding name) or raise SourceError."""
    if not raw.strip():
        raise SourceError(path, "empty file")
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return _decode(raw, encoding, path), encoding.replace("-sig", "") + " (BOM)"
    if b"\x00" not in raw:
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            utf8_error = error
    else:
        utf8_error = None
    best = from_bytes(raw, cp_isolation=CANDIDATES).best()
    if best is None:
        if b"\x00" in raw:
            raise SourceError(path, "binary file (NUL bytes, no text encoding fits)")
        raise SourceError(path, f"undecodable bytes at offset {utf8_error.start}: "
                                f"not UTF-8, UTF-16, GB18030 or Big5")
    encoding = codecs.lookup(best.encoding).name
    return _decode(raw, encoding, path), encoding


def _decode(raw: bytes, encoding: str, path) -> str:
    text = raw.decode(encoding)
    if len(CONTROL.findall(text)) > max(3, len(text) // 100):
        raise SourceError(path, f"binary file (control characters after decoding as {encoding})")
    return text


def decode(raw: bytes, path) -> tuple[str, str, StageResult]:
    """Return (decoded raw text, encoding, stage result with line endings and NFC normalized)."""
    text, encoding = detect(raw, path)
    result = StageResult(text)
    add_step(result, regex_edits(result.text, NEWLINES, STAGE, "line-endings", "\n"))
    add_step(result, diff_edits(result.text, unicodedata.normalize("NFC", result.text), STAGE, "unicode-nfc"))
    return text, encoding, result
