"""Stage 1, decode: raw bytes -> text. Detects the encoding, then normalizes line endings, shows control
characters (never passed on invisibly) and normalizes to NFC.

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
# Control characters a reader could not see are shown: page and line tabulations (PDF page breaks) become
# line breaks, other C0 controls and DEL their Unicode control pictures (␀ ␛ ␡), C1 controls U+FFFD.
PAGE_BREAKS = re.compile(r"[\x0b\x0c]")
SHOWN_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x9f]")
INVISIBLE = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
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
            return _checked(raw.decode("utf-8"), "utf-8", path), "utf-8"
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
    return _checked(raw.decode(encoding), encoding, path), encoding


def _decode(raw: bytes, encoding: str, path) -> str:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        name = encoding.replace("-sig", "").upper()
        problem = "truncated" if error.reason in ("truncated data", "unexpected end of data") else "invalid"
        offset = error.start + (len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0)  # of the file
        raise SourceError(path, f"starts with a {name} byte-order mark, but the bytes at offset {offset} are "
                                f"{problem} {name}: save the file in one encoding") from None
    return _checked(text, encoding, path)


def _checked(text: str, encoding: str, path) -> str:
    if len(CONTROL.findall(text)) > max(3, len(text) // 100):
        raise SourceError(path, f"binary file (control characters after decoding as {encoding})")
    if not INVISIBLE.sub("", text).strip():
        raise SourceError(path, "no text: only spaces, line breaks or invisible characters")
    return text


def decode(raw: bytes, path) -> tuple[str, str, StageResult]:
    """Return (decoded raw text, encoding, stage result with line endings and NFC normalized)."""
    text, encoding = detect(raw, path)
    result = StageResult(text)
    add_step(result, regex_edits(result.text, NEWLINES, STAGE, "line-endings", "\n"))
    add_step(result, regex_edits(result.text, PAGE_BREAKS, STAGE, "page-breaks", "\n"))
    add_step(result, regex_edits(result.text, SHOWN_CONTROLS, STAGE, "control-characters", _control_picture))
    add_step(result, diff_edits(result.text, unicodedata.normalize("NFC", result.text), STAGE, "unicode-nfc"))
    return text, encoding, result


def _control_picture(match: re.Match) -> str:
    code = ord(match.group(0))
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"
