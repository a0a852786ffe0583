"""`python -m build_tools add FILE…`: take sources in as an archivist does. Each raw file is copied into
seeds/ byte for byte (as <stem>.txt, the suffix seeds/ accepts), cleaned once to read what it says about
itself, and given a draft sidecar seeds/<stem>.yml with every inferred field, its evidence under
`inferred:`, then what needs review is printed. The page marks those fields 推断 and the 待核清单 lists the
document until a person checks them and deletes their lines from `inferred:`."""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from .build import build
from .describe import metadata
from .errors import SourceError
from .sources import discover

DRAFT_HEADER = ("# Draft metadata written by `python -m build_tools add`. Check each field listed under `inferred`\n"
                "# (its evidence is given there), correct it if needed, then delete its line from `inferred`.\n")
RIGHTS = "待核：原文版权归原作者及发布机构所有；本馆仅作研究存档与引用（请据来源核实）"
FIELDS = ("id", "title", "title_supplied", "genre", "issuing_body", "author", "place", "subject_places", "date",
          "source", "script", "rights", "notes", "inferred")


def draft(built) -> dict:
    """The sidecar of a source built without one: its inferred metadata, in the schema's order."""
    meta = dict(built.meta)
    meta.setdefault("rights", RIGHTS)
    meta["inferred"] = {**dict(built.inferred), "rights": "未核：请据来源网站的声明填写"}
    return {key: meta[key] for key in FIELDS if key in meta and meta[key] not in (None, "", [], {})}


def add(files: list[Path], seeds: Path, out=None) -> int:
    """Copy each file, build the corpus once (the one-byte-shift repair reads the whole corpus), draft
    and report; 0 when every file was taken in, else 1 (one line per problem, nothing half taken in)."""
    out = out or sys.stdout
    existing = {source.stem for source in discover(seeds)[0]}
    status, added = 0, []
    for path in files:
        target = seeds / f"{path.stem}.txt"
        if not path.is_file():
            print(f"error: {path}: not a file that can be read", file=out)
            status = 1
        elif path.stem in existing or target.exists():
            print(f"error: {path}: seeds/ already holds a source named '{path.stem}': rename the file", file=out)
            status = 1
        else:
            shutil.copyfile(path, target)
            existing.add(path.stem)
            added.append(target)
    if not added:
        return status
    with tempfile.TemporaryDirectory() as work:
        report = build(seeds, Path(work) / "docs", progress=False)
    built = {item.source.path: item for item in report.built}
    failed = {Path(error.path): error for error in report.errors}
    for target in added:
        sidecar = seeds / f"{target.stem}.yml"
        if target not in built:
            print(f"error: {failed.get(target, f'{target}: not built (see python -m build_tools build)')}", file=out)
            target.unlink()
            status = 1
            continue
        item = built[target]
        data = draft(item)
        sidecar.write_text(DRAFT_HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100),
                           encoding="utf-8")
        try:
            metadata.load_sidecar(sidecar, sidecar.read_bytes())
        except SourceError as error:  # a draft the schema refuses: nothing half taken in
            print(f"error: {error}", file=out)
            sidecar.unlink()
            target.unlink()
            status = 1
            continue
        print(f"added {target} and its draft {sidecar}; to review:", file=out)
        for field, evidence in data["inferred"].items():
            print(f"  {field}: {data.get(field, '')!s:.60}  ({evidence})", file=out)
        if item.to_review or item.suspicious:
            print(f"  text: {item.to_review} emendations 待核, {len(item.suspicious)} suspicious spans "
                  f"(see the page's 校勘记)", file=out)
    return status
