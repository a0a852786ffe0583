"""Errata: human corrections, seeds/errata/<id>.yml. Each names an exact span of the text as scraped (after
decoding and boilerplate removal, before any repair; with enough context to occur once), its correction
and the reason. Errata are applied first in the repair stage, so they override automatic repairs of the
same span. A span that is not found, found more than once, or overlapping another erratum is a build error
naming the errata file.

    errata:
      - original: "報告?zhèn)浒钢贫?"
        correction: "報告備案制度"
        reason: "…"
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .. import vocab
from ..clean.edits import Edit
from ..errors import SourceError

STAGE = "repair"
FIELDS = ("original", "correction", "reason")


def load(path: Path, data: bytes) -> list[dict]:
    try:
        data = vocab.load_untrusted_yaml(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SourceError(path, f"errata file does not parse: {str(error).splitlines()[0]}") from None
    entries = data.get("errata") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SourceError(path, "errata file needs a non-empty list under 'errata'")
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or set(entry) != set(FIELDS) or not all(
                isinstance(entry[k], str) for k in FIELDS) or not entry["original"] or not entry["reason"].strip():
            raise SourceError(path, f"erratum {number} needs exactly the text fields {', '.join(FIELDS)} "
                                    f"(original and reason not empty)")
    return entries


def erratum_edits(text: str, entries: list[dict], path: Path) -> list[Edit]:
    edits = []
    for number, entry in enumerate(entries, 1):
        count = text.count(entry["original"])
        if count != 1:
            problem = "is not in the text" if count == 0 else f"occurs {count} times; add context to make it unique"
            raise SourceError(path, f"erratum {number}: original «{entry['original']}» {problem}")
        edits.append(Edit(STAGE, "erratum", text.index(entry["original"]), entry["original"], entry["correction"],
                          kind="erratum", confidence=1.0, note=entry["reason"].strip()))
    edits.sort(key=lambda e: e.start)
    for a, b in zip(edits, edits[1:]):
        if b.start < a.start + len(a.before):
            raise SourceError(path, f"errata conflict: «{a.before}» and «{b.before}» overlap")
    return edits
