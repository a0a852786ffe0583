"""The archive's vocabularies, loaded from data files in rules/: genres (the gazetteer is
describe/places.py's, from rules/divisions.json and rules/gazetteer.yml); and the Han ideograph ranges
every stage matches."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

RULES = Path(__file__).parent / "rules"
# The Han ideographs, as a character-class body: CJK unified (with extension A) and compatibility.
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def load_yaml(name: str):
    return yaml.safe_load((RULES / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def genres() -> list[dict]:
    return load_yaml("genres.yml")["genres"]


class _NoAliasLoader(yaml.SafeLoader):
    """YAML from a contributor (sidecars, errata): anchors and aliases are refused, so a few lines cannot
    expand into gigabytes (an alias bomb)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not allowed here",
                                              event.start_mark)
        return super().compose_node(parent, index)


def load_untrusted_yaml(text: str):
    return yaml.load(text, Loader=_NoAliasLoader)
