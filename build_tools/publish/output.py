"""The generated part of docs/: every file the build writes (document pages, raw and cleaned texts, edit
logs, index pages, exports), and `write`, which swaps them into docs/ only when the whole corpus is good,
so a failed build leaves the last good pages in place."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from ..describe import classify
from ..errors import SourceError
from . import exports, history, indexes, page, search_index
from .corpus import Doc, genre_slugs, topic_labels
from .related import Related
from .urls import ANCHOR

if TYPE_CHECKING:
    from ..document import Built

GENERATED_DIRS = ("documents", "data", "cities", "years", "topics", "genres", "cited", "search", "review")  # the rest is hand-written
DIGEST_FILE = "data/build.sha256"  # digest of every generated file: an unchanged build rewrites nothing
MARKER = ".build-complete"  # docs/.build-complete, written last: the digest of the tree a finished build left


def handwritten_pages(docs: Path) -> list[str]:
    """Every Markdown file of docs/ outside the generated folders (which are not walked)."""
    if not docs.is_dir():
        return []
    pages = []
    for top in docs.iterdir():
        if top.name in GENERATED_DIRS:
            continue
        found = top.rglob("*.md") if top.is_dir() else [top] if top.suffix == ".md" else []
        pages += [p.relative_to(docs).as_posix() for p in found]
    return sorted(pages)



class _Paragraphs:
    """A slim document's paragraphs (document.Built.slim), read from its cache entry each time they are
    iterated; their number is kept."""

    def __init__(self, item: Built):
        self.item = item

    def __len__(self) -> int:
        return self.item.paragraph_count

    def __iter__(self):
        return iter(self.item.paragraphs)


def index_doc(item: Built) -> Doc:
    meta, date = item.meta, item.meta["date"]
    value = date.get("value") or ""
    paragraphs = item.__dict__.get("paragraphs")
    return Doc(meta["id"], meta["title"], meta, meta["place"]["city"], value[:4],
                       bool(date.get("inferred") or "date" in item.inferred),
                       genre_slugs()[meta["genre"]], classify.document_topics(item.sections, meta),
                       item.sections, _Paragraphs(item) if paragraphs is None else paragraphs, item.raw_sha256)


class Tree:
    """The generated files of one build as they are made: each is written at once to the staging folder
    (`write` swaps it into docs/), never all kept in memory. Kept per file: its SHA-256, for a Markdown page
    its first line, for a document page its anchors (urls.published). A file that cannot be written is
    remembered and reported by `write`. Reads back a staged file (urls.apply_redirects)."""

    def __init__(self, docs: Path, previous: dict | None = None):
        self.docs = docs
        self.staging = docs.parent / "build" / "staging"
        self.digests: dict[str, str] = {}
        self.first_lines: dict[str, str] = {}
        self.anchors: dict[str, list[str]] = {}
        self.signatures: dict[str, str] = {}  # of a document's files: what each was made from
        self.previous = (previous or {}).get("files") or {}
        self.previous_anchors = (previous or {}).get("anchors") or {}
        self.error: OSError | None = None
        try:
            if self.staging.exists():
                shutil.rmtree(self.staging)
        except OSError as error:
            self.error = error

    def __setitem__(self, name: str, data: bytes) -> None:
        self.digests[name] = hashlib.sha256(data).hexdigest()
        if name.endswith(".md"):
            self.first_lines[name] = data.split(b"\n", 1)[0].decode("utf-8")
            if name.startswith("documents/"):
                self.anchors[name] = ANCHOR.findall(data.decode("utf-8"))
        if self.error is None:
            try:
                _write(self.staging / name, data)
            except OSError as error:
                self.error = error

    def stream(self, name: str, chunks) -> None:
        """A file written chunk by chunk (bytes), never whole in memory."""
        digest = hashlib.sha256()
        handle = None
        try:
            if self.error is None:
                (self.staging / name).parent.mkdir(parents=True, exist_ok=True)
                handle = (self.staging / name).open("wb")
            for chunk in chunks:
                digest.update(chunk)
                if handle is not None:
                    handle.write(chunk)
        except OSError as error:
            self.error = error
            for chunk in chunks:  # the digest is still needed
                digest.update(chunk)
        finally:
            if handle is not None:
                try:
                    handle.close()
                except OSError as error:
                    self.error = self.error or error
        self.digests[name] = digest.hexdigest()

    def add(self, name: str, data: bytes, signature: str) -> None:
        self[name] = data
        if signature:
            self.signatures[name] = signature

    def reuse(self, name: str, signature: str) -> bool:
        """Link docs/`name` into the staging folder when the last good build made it from the same
        `signature` and it is on disk as that build left it (its size, times and inode); else False."""
        before = self.previous.get(name)
        if not signature or self.error is not None or not before or before[1] != signature:
            return False
        try:
            st = os.lstat(self.docs / name)
            if [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino] != before[2:]:
                return False
            (self.staging / name).parent.mkdir(parents=True, exist_ok=True)
            os.link(self.docs / name, self.staging / name)
        except OSError:
            return False
        self.digests[name] = before[0]
        self.signatures[name] = signature
        if name in self.previous_anchors:
            self.anchors[name] = self.previous_anchors[name]
        return True

    def record(self) -> dict:
        """What `reuse` needs of this build once it is in docs/ (memo.py): per document file its SHA-256,
        signature and stat, and the anchors of the document pages."""
        files = {}
        for name, signature in self.signatures.items():
            try:
                st = os.lstat(self.docs / name)
            except OSError:
                continue
            files[name] = [self.digests[name], signature, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        return {"files": files, "anchors": {name: self.anchors[name] for name in files if name in self.anchors}}

    def __getitem__(self, name: str) -> bytes:
        if name not in self.digests:
            raise KeyError(name)
        try:
            return (self.staging / name).read_bytes()
        except OSError as error:
            raise SourceError(error.filename or self.staging, f"cannot write the build ({error.strerror or error}); "
                                                              f"{self.docs} is left as it was") from None

    def __contains__(self, name) -> bool:
        return name in self.digests

    def __iter__(self):
        return iter(list(self.digests))

    def __len__(self) -> int:
        return len(self.digests)

    def update(self, files) -> None:
        """Add the files of a dict, or of an iterable of (path, bytes) as they are made."""
        for name, data in files.items() if isinstance(files, dict) else files:
            self[name] = data

    def digest(self) -> str:
        """tree_digest of the files, from their kept digests."""
        digest = hashlib.sha256()
        for name, hexdigest in sorted(self.digests.items()):
            if name != DIGEST_FILE:
                digest.update(f"{name}\0{hexdigest}\n".encode())
        return digest.hexdigest() + "\n"

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def generated_files(built: list[Built], docs_dir: Path, previous: dict | None = None,
                    merged_search=None) -> Tree:
    """Every generated file, by its path under docs/, staged (Tree). Each document's text is read from its
    cache entry only while its own files are made. `previous` (memo.py: what the last good build left in
    docs/, per document file its SHA-256, the signature of what it was made from, its stat and a page's
    anchors): a document file whose signature is the same and which is still on disk as that build left it
    is linked into the staging folder instead of being made and written again. `merged_search`: where the
    search index keeps its merged groups of pages between builds (search_index.index_files `merged_cache`;
    cache.MergedSearchCache)."""
    files = Tree(docs_dir, previous)
    docs = [index_doc(item) for item in built]
    related = Related(docs)
    for item, doc in zip(built, docs):
        doc_id = item.meta["id"]
        seeds = item.source.path.parent
        versions = history.load(seeds, doc_id)
        block = related.block(doc)
        text = None
        signature = hashlib.sha256(json.dumps([item.parts_sha256, block, versions], ensure_ascii=False,
                                              default=str).encode("utf-8")).hexdigest() if item.parts_sha256 else ""
        if not files.reuse(f"documents/{doc_id}.md", signature):
            text = text or item.text()
            page_text = with_versions(text["markdown"], doc_id, versions, text["cleaned"]) + block + text["apparatus"]
            files.add(f"documents/{doc_id}.md", page_text.encode("utf-8"), signature)
            del page_text
        for version in versions:  # every recorded version's text, kept in seeds/history/
            version_text = history.text(seeds, doc_id, version["sha256"])
            if version_text is not None:
                files[f"data/versions/{doc_id}/{version['sha256']}.txt"] = version_text
        if not files.reuse(f"data/raw/{doc_id}.txt", item.raw_sha256):
            files.add(f"data/raw/{doc_id}.txt", item.source.path.read_bytes(), item.raw_sha256)  # inert text whatever the source was called
        if not files.reuse(f"data/clean/{doc_id}.txt", item.clean_sha256):
            text = text or item.text()
            files.add(f"data/clean/{doc_id}.txt", text["cleaned"].encode("utf-8"), item.clean_sha256)
        if not files.reuse(f"data/edits/{doc_id}.json", item.parts_sha256):
            text = text or item.text()
            files.add(f"data/edits/{doc_id}.json", text["edit_log"].encode("utf-8"), item.parts_sha256)
        del text
    files.update(document_list(built))
    files.update(review_pages(built))
    files.update(indexes.generate(docs))
    files.stream(exports.CORPUS, exports.corpus_chunks(indexes.sorted_docs(docs)))
    files.update(search_index.index_files(search_records(docs, files.first_lines), fragments=_Fragments(built),
                                          merged_cache=merged_search))
    return files


class _Fragments:
    """{page src: its search fragment} of the documents, each read from its cache entry when asked for."""

    def __init__(self, built: list[Built]):
        self.by_src = {f"documents/{item.meta['id']}.md": item for item in built}

    def get(self, src: str) -> dict | None:
        item = self.by_src.get(src)
        return item.search_fragment if item is not None else None


def document_records(title: str, sections: list[dict], paragraphs) -> list[tuple[str, str, str, str, dict | None]]:
    """What the search finds in one document, in record order: (anchor, kind, heading, text, section) for
    its title, each section heading and each paragraph (the cleaned text)."""
    records = [("", "title", "", title, None)]
    text_of = {p["anchor"]: p["text"] for p in paragraphs}
    for section in sections:
        heading = section["title"] if section["level"] > 1 else ""
        if heading:
            records.append((section["anchor"], "heading", heading, heading, section))
        records += [(anchor, "paragraph", heading, text_of[anchor], section)
                    for anchor in section["paragraphs"] if anchor in text_of]
    return records


def search_fragment(title: str, sections: list[dict], paragraphs) -> dict:
    """The search index of one document page (search_index.page_fragment), computed with the document."""
    return search_index.page_fragment([text for *_, text, _ in document_records(title, sections, paragraphs)])


def search_records(docs: list[Doc], first_lines: dict[str, str]) -> list[dict]:
    """What the site's search finds (publish/search_index.py): per document its title, its section headings
    and its paragraphs (document_records), with city, year, genre and the section's topics; per index page
    its heading. Pages are named by their source path, which the browser maps to either build's URL."""
    labels = topic_labels()
    records, topic_lists = [], {}  # one list per topic set, shared by its records (never changed)
    for doc in docs:
        common = {"src": f"documents/{doc.id}.md", "doc": doc.id, "title": doc.title,
                  "city": doc.city if doc.city != "不详" else "", "year": doc.year, "genre": doc.meta["genre"]}
        for anchor, kind, heading, text, section in document_records(doc.title, doc.sections, doc.paragraphs):
            topics = tuple(doc.topics if section is None else sorted(section["topics"]))
            if topics not in topic_lists:
                topic_lists[topics] = [labels[t] for t in topics]
            records.append({**common, "anchor": anchor, "kind": kind, "heading": heading, "text": text,
                            "order": 0 if section is None else len(records), "topics": topic_lists[topics]})
    for path, first in sorted(first_lines.items()):  # the first line of every Markdown file
        if path.endswith(".md") and not path.startswith(("documents/", "data/")) or path.startswith("documents/index"):
            if first.startswith("# "):
                title = re.sub(r"\\(.)", r"\1", first[2:]).strip()
                records.append({"src": path, "doc": "", "title": title, "anchor": "", "kind": "index", "heading": "",
                                "text": title, "city": "", "year": "", "genre": "", "topics": [], "order": 0})
    return records


def with_versions(markdown: str, doc_id: str, versions: list[dict], cleaned: str) -> str:
    """The page with its version (seeds/history/, read here and not in the cached per-document build): in
    the front matter (`version`, which the citations name) and in 来源与校验."""
    end = markdown.index("\n---\n", 3)
    markdown = markdown[:end] + "\nversion: " + history.json_front(versions, cleaned) + markdown[end:]
    return markdown.replace(page.VERSIONS_SLOT, history.markdown(doc_id, versions, cleaned), 1)


def tree_digest(files) -> str:
    """The digest of a generated tree: of every (path, content) but the digest file itself. A content may be
    the file's Path, read when its turn comes (docs/ on disk is never held in memory whole)."""
    digest = hashlib.sha256()
    for name, data in sorted(files, key=lambda item: item[0]):
        if name != DIGEST_FILE:
            if isinstance(data, Path):
                data = data.read_bytes()
            digest.update(f"{name}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return digest.hexdigest() + "\n"


def on_disk(docs: Path):
    """(path under docs/, its Path) of every file of the generated folders as they are on disk."""
    for name in GENERATED_DIRS:
        for path in sorted((docs / name).rglob("*")) if (docs / name).is_dir() else []:
            if path.is_file():
                yield path.relative_to(docs).as_posix(), path


def incomplete(docs: Path) -> str | None:
    """Why docs/ does not hold one whole build (None when it does): its completion marker, written last by
    `write`, is missing, or names other files than those on disk (a build was killed while swapping)."""
    marker = docs / MARKER
    if not marker.is_file():
        return f"{marker} is missing: the last build did not finish; run `python -m build_tools build`"
    if marker.read_text(encoding="utf-8") != tree_digest(on_disk(docs)):
        return f"the generated files in {docs} do not match {marker}: run `python -m build_tools build`"
    return None






def write(files: Tree, docs: Path) -> bool:
    """Make docs/ hold exactly `files`, so that a kill at any instant leaves either the previous build or an
    unfinished one that every later step treats as unbuilt (never a mix taken for good): the files were
    written to a staging folder as they were made (Tree); the completion marker docs/.build-complete is
    removed; the generated folders are swapped in by renames; the marker, the digest of the whole tree, is
    written last. Returns
    False when docs/ already holds exactly these files, checked on disk (nothing is rewritten). A write
    that fails (permissions, disk full) is one line naming the path."""
    digest = files.digest()
    files[DIGEST_FILE] = digest.encode()
    if (docs / MARKER).is_file() and (docs / MARKER).read_bytes() == digest.encode() and not incomplete(docs):
        files.discard()
        return False
    staging, trash = files.staging, docs.parent / "build" / "previous"
    try:
        if files.error is not None:
            raise files.error
        if trash.exists():
            shutil.rmtree(trash)
        checkpoint()
        trash.mkdir(parents=True)
        docs.mkdir(parents=True, exist_ok=True)
        (docs / MARKER).unlink(missing_ok=True)
        checkpoint()
        for name in GENERATED_DIRS:
            if (docs / name).exists():
                os.replace(docs / name, trash / name)
                checkpoint()
            os.replace(staging / name, docs / name)
            checkpoint()
        _write(docs / (MARKER + ".tmp"), digest.encode())
        os.replace(docs / (MARKER + ".tmp"), docs / MARKER)
        checkpoint()
        shutil.rmtree(trash)
        shutil.rmtree(staging)
    except OSError as error:
        raise SourceError(error.filename or docs, f"cannot write the build ({error.strerror or error}); "
                                                  f"{docs} is left as the previous build or marked unfinished")
    return True


def checkpoint() -> None:
    """Kill tests (tests/test_atomic.py) end the process at the Nth checkpoint (ARCHIVE_KILL_AT=N)."""
    global _checkpoints
    _checkpoints += 1
    if os.environ.get("ARCHIVE_KILL_AT") == str(_checkpoints):
        os._exit(137)


_checkpoints = 0


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)



def document_list(built: list[Built]) -> dict[str, bytes]:
    rows = []
    for item in sorted(built, key=lambda b: b.meta["id"]):
        meta = item.meta
        rows.append(f"| [{page.escape(meta['title'])}]({meta['id']}.md) | {meta['genre']} | "
                    f"{page.escape(meta['place']['city'])} | {page.escape(page.format_date(meta['date']))} |")
    return indexes.paginate("documents/index.md", ["# 全部文献", ""],
                            rows, ("| 文献 | 体裁 | 地方 | 日期 |", "| --- | --- | --- | --- |"))


REVIEW_INTRO = ("以下文献尚有待人工核对之处：元数据中标为“推断”的字段（未附元数据文件，或由 `python -m build_tools add` "
                "起草而尚未核对）、可信度低于 {below} 的校改（待核）、未能校正的疑似乱码，或原文截断。核对后更正元数据文件"
                "（删去 `inferred` 中已核的字段）或补写勘误文件，本页随之更新。")


def review_pages(built: list[Built]) -> dict[str, bytes]:
    """The worklist (待核清单, review/index.md, split like an index page when long): every document with
    inferred metadata, emendations to review, suspicious spans or a truncated text, and what there is to
    check."""
    lines = ["# 待核清单", "", REVIEW_INTRO.format(below=page.REVIEW_BELOW), ""]
    rows = []
    for item in sorted(built, key=lambda b: b.meta["id"]):
        meta = item.meta
        parts = []
        if item.inferred:
            parts.append("推断字段：" + "、".join(page.escape(field) for field in item.inferred))
        if item.to_review:
            parts.append(f"待核校改 {item.to_review} 处")
        if item.suspicious:
            parts.append(f"疑似乱码 {len(item.suspicious)} 处")
        if item.truncation_marked:  # page.render marks a truncated text with "truncation-mark"
            parts.append("原文截断")
        if parts:
            rows.append(f"| [{page.escape(meta['title'])}](../documents/{meta['id']}.md) | {'；'.join(parts)} |")
    if not rows:
        return {"review/index.md": ("\n".join([*lines, "目前没有待核的文献。"]) + "\n").encode("utf-8")}
    return indexes.paginate("review/index.md", lines, rows, repeat=("| 文献 | 待核 |", "| --- | --- |"))
