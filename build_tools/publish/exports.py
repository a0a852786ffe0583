"""The data exports: catalog.csv, catalog.json (`exports`), corpus.jsonl (`corpus_chunks`, streamed)."""
from __future__ import annotations

import csv
import io
import json

from .corpus import Doc

CATALOG_FIELDS = ["id", "title", "genre", "city", "county", "province", "place_level", "subject_places", "date",
                  "date_precision", "date_inferred", "issuing_body", "topics", "sections", "paragraphs",
                  "raw_sha256", "page"]


def catalog_rows(docs: list[Doc]) -> list[dict]:
    rows = []
    for doc in docs:
        place, date = doc.meta["place"], doc.meta["date"]
        rows.append({
            "id": doc.id, "title": doc.title, "genre": doc.meta["genre"], "city": place["city"],
            "county": place.get("county", ""), "province": place["province"], "place_level": place["level"],
            "subject_places": [p["city"] for p in doc.meta.get("subject_places", [])],
            "date": date.get("value") or "", "date_precision": date["precision"], "date_inferred": doc.year_inferred,
            "issuing_body": doc.meta["issuing_body"], "topics": doc.topics, "sections": len(doc.sections),
            "paragraphs": len(doc.paragraphs), "raw_sha256": doc.raw_sha256, "page": f"documents/{doc.id}/",
        })
    return rows


def exports(docs: list[Doc]) -> dict[str, bytes]:
    rows = catalog_rows(docs)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CATALOG_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ";".join(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else v
                         for k, v in row.items()})
    return {
        "data/catalog.csv": buffer.getvalue().encode("utf-8"),
        "data/catalog.json": (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
    }


CORPUS = "data/corpus.jsonl"


def corpus_chunks(docs: list[Doc]):
    """data/corpus.jsonl, one document's lines at a time (bytes): every paragraph with its place, year and
    topics. Never held whole (it is about as large as the cleaned texts)."""
    empty = True
    for doc in docs:
        lines = [json.dumps({"id": doc.id, "anchor": paragraph["anchor"], "section": paragraph["section"],
                             "city": doc.city, "year": doc.year, "year_inferred": doc.year_inferred,
                             "topics": paragraph["topics"], "text": paragraph["text"]},
                            ensure_ascii=False, sort_keys=True) + "\n" for paragraph in doc.paragraphs]
        if lines:
            empty = False
            yield "".join(lines).encode("utf-8")
    if empty:
        yield b"\n"
