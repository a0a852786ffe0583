"""What the corpus-level pages know of one built document (`Doc`), and the vocabulary lookups that make
their URLs: every index URL uses a slug from a vocabulary file (gazetteer, topics, genres) or a year, so
editing a label never moves a URL."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from .. import vocab
from ..describe import places
from ..describe.classify import taxonomy
from ..errors import SourceError
from .page import escape

DOCS = "../documents"


@dataclass
class Doc:
    """What the indexes need of one built document."""
    id: str
    title: str
    meta: dict
    city: str
    year: str  # "" when unknown
    year_inferred: bool
    genre_slug: str
    topics: list[str]
    sections: list[dict]
    paragraphs: list[dict]
    raw_sha256: str

    def link(self, prefix: str = DOCS, anchor: str = "") -> str:
        return f"[{escape(self.title)}]({prefix}/{self.id}.md{'#' + anchor if anchor else ''})"


def topic_labels() -> dict[str, str]:
    return {t["slug"]: t["label"] for t in taxonomy()["topics"]}


def genre_slugs() -> dict[str, str]:
    return {g["label"]: g["slug"] for g in vocab.genres()}


def place_slug(place: dict, where) -> str:
    """The slug of a metadata place's city (describe/places.py: the division data and rules/gazetteer.yml)."""
    city, _ = places.resolve(place)
    if city is None:
        raise SourceError(where, f"place '{place['city']}' is not in the gazetteer (add it to build_tools/rules/gazetteer.yml)")
    return city["slug"]


def cited_anchor(title: str) -> str:
    """A stable anchor for a cited title on the cited-documents page."""
    return "c-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:10]


def year_label(doc: Doc) -> str:
    return f"{doc.year}年" + ("（推断）" if doc.year_inferred else "") if doc.year else "年份不详"


def by_section_key(docs: list[Doc], field: str) -> dict[str, list[tuple[Doc, dict, object]]]:
    """{key: [(doc, section, value)]} for the keys of each section's `field` (a list, or a dict whose
    values come along)."""
    found = defaultdict(list)
    for doc in docs:
        for section in doc.sections:
            keys = section[field]
            for key in keys:
                found[key].append((doc, section, keys[key] if isinstance(keys, dict) else None))
    return found
