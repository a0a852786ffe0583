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


TRUNCATION_END = "。！？…”’」』）】》；：!?.\"'"  # a complete text ends on one of these
# A last paragraph that is a date, a signature or an attribution ends without them and is complete.
COMPLETE_LAST = re.compile(r"^(?:.{0,30}(?:年|月|日|部|委|会|室|局|办|处)|（[^（）]{2,30}）)$")


def truncation(cleaned: str) -> str | None:
    """Why the text looks cut off at its end (None when it does not): a character the decoder could not
    read at the very end, or a last paragraph that stops in the middle of a sentence."""
    text = cleaned.rstrip()
    if text.endswith("\ufffd"):
        return "末尾为无法解码的字节（U+FFFD）"
    last = text.rsplit("\n", 1)[-1].strip()
    if len(last) >= 20 and last[-1] not in TRUNCATION_END and not COMPLETE_LAST.match(last):
        return f"末段止于句中（“…{last[-10:]}”）"
    return None
