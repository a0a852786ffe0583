"""Suspicious-span detector, run on the cleaned text: damage that no repair or erratum accounted for.
Rules are data (rules/suspicious.yml)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import vocab


@dataclass(frozen=True)
class Finding:
    rule: str
    start: int
    text: str
    context: str

    def describe(self) -> str:
        return f"suspicious {self.rule} at {self.start}: «{self.context}»"


@lru_cache(maxsize=None)
def rules() -> tuple[int, tuple[tuple[str, re.Pattern], ...]]:
    data = vocab.load_yaml("suspicious.yml")
    compiled = tuple((r["name"], re.compile(r["pattern"].replace("HAN", vocab.HAN))) for r in data["rules"])
    return data["context_chars"], compiled


def find(text: str) -> list[Finding]:
    width, compiled = rules()
    findings = []
    for name, pattern in compiled:
        for match in pattern.finditer(text):
            context = text[max(0, match.start() - width):match.end() + width].replace("\n", " ")
            findings.append(Finding(name, match.start(), match.group(0), context))
    return sorted(findings, key=lambda f: (f.start, f.rule))
