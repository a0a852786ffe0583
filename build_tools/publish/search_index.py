"""Paragraph-level search index of the archive (standard library only).

``build_index(records)`` turns the pipeline's records (one per title, heading, paragraph or index-page
entry) into a set of small JavaScript files that ``search.js`` loads with ``<script>`` tags, so the same
files work over http and from ``file://`` (no fetch, no worker). Every file calls one global function:

    __searchIndex("<name>", "<JSON, as a string>")

Files (all under ``prefix``, default ``search/``):

``layout.js``       name ``layout``: the shard layout (number of buckets, shards per hot character), a
                    few hundred bytes: loaded first, so that a query's shards load beside ``meta.js``.
``meta.js``         name ``meta``: counts, facet tables, per page its record count and
                    facets, per record two fixed-width digits (length bucket, kind: read in place, no
                    decoding at start-up), the records where the topic set changes, text-chunk
                    boundaries. Loaded by every query.
``b/<n>.js``        name ``b/<n>``: postings of the character bigrams whose first character hashes to
                    bucket ``n``: ``{first: {second: postings}}``; ``second`` is ``""`` for a character
                    that ends a run of word characters (so a one-character query needs only the shards of
                    that character).
``b/<hex>-<j>.js``  a frequent first character (code point ``hex``) has ``hot[c]`` shards of its own,
                    split by the hash of the second character.
``b/<hex>-u.js``    name ``b/<hex>-u``: for a character of ``own`` shards or more (``OWN_POSTING_SHARDS``),
                    the records that hold it and how often
                    (a posting without positions), so a one-character query loads one file, not all
                    ``hot[c]`` shards.
``t/<n>.js``        name ``t/<n>``: display data of a run of consecutive records: ``{"d": {page: [src,
                    title]}, "r": [[anchor, heading, text], ...]}``; ``heading`` is 0 when it repeats the
                    previous record's.

Postings are a string of variable-length numbers (see ``_vlq``): the number of records and of positions,
then per record ``(record-id delta << 1) | (occurrences > 1)``, ``occurrences - 2`` when there are more than
one, and the position deltas (the first from 0); a character's posting (``-u``) is the same without the
positions. Positions count code points of the *normalised* text
(``normalize``), in which every character keeps a position, word characters or not; a bigram is two
adjacent word characters, so a term (a run of word characters in the query) occurs at ``p`` when its
``i``-th bigram occurs at ``p + i``: matching is exact.

Record ids follow document order: pages sorted by (index page last, smallest ``order``, source path),
records in a page by ``order``. Pages are identified by their MkDocs source path (``src``, e.g.
``documents/001.md``); the browser maps it to ``documents/001/`` or ``documents/001.html``.

The output is deterministic: same records, same bytes (sorted keys, no timestamps, no set order).

How it is built: a page's postings with its records numbered from 0 (``page_fragment``) depend on its texts
alone, so the pipeline computes a document page's with the document and keeps it in its cache entry;
``build_index`` merges the pages in groups (``merge_fragments``; a group's merged fragment is kept between
builds, ``merged_cache``) and appends the groups, re-encoding only the first record-id delta of each
posting. The bytes are the same as indexing every record in one pass.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import defaultdict

FORMAT_VERSION = 2
# A character whose bigrams fill this many shards or more also gets its own posting (records and counts,
# no positions): a one-character query then reads one file instead of them all. Fewer shards are read as
# they are (measured at 10,000 synthetic documents: own postings for every character of 2+ shards would
# add 19 MB to 57 MB of postings; from 8 shards, 9 MB).
OWN_POSTING_SHARDS = 8
KINDS = ("title", "heading", "paragraph", "index")
KIND_CODE = {k: i for i, k in enumerate(KINDS)}
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")

# Variable-length numbers: base-32 digits, most significant first; every digit but the last is taken
# from CONT, the last from TERM. 64 characters that need no escaping in JSON or JavaScript.
CONT = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
TERM = "WXYZabcdefghijklmnopqrstuvwxyz-_"


def _vlq(n: int) -> str:
    if n < 0:
        raise ValueError("negative number in index")
    if n < 32:
        return TERM[n]
    digits = [TERM[n & 31]]
    n >>= 5
    while n:
        digits.append(CONT[n & 31])
        n >>= 5
    return "".join(reversed(digits))


_VLQ_SMALL = [_vlq(i) for i in range(4096)]


def vlq(n: int) -> str:
    """Encode a non-negative integer."""
    return _VLQ_SMALL[n] if n < 4096 else _vlq(n)


def vlq_decode(s: str) -> list[int]:
    """Decode a string of variable-length numbers (the inverse of joining ``vlq``)."""
    out, n = [], 0
    for ch in s:
        i = CONT.find(ch)
        if i >= 0:
            n = (n << 5) | i
            continue
        i = TERM.find(ch)
        if i < 0:
            raise ValueError(f"bad digit {ch!r}")
        out.append((n << 5) | i)
        n = 0
    if n:
        raise ValueError("truncated number")
    return out


def length_bucket(n: int) -> int:
    """A record's length for BM25, stored on a log scale (8 steps per doubling, 2 digits in meta.js):
    search.js reads it back as 2 ** (bucket / 8) - 1."""
    return min(255, round(8 * math.log2(1 + n)))


def h32(x: int) -> int:
    """32-bit integer hash; search.js has the same function (Math.imul)."""
    x = ((x ^ (x >> 16)) * 0x45D9F3B) & 0xFFFFFFFF
    x = ((x ^ (x >> 16)) * 0x45D9F3B) & 0xFFFFFFFF
    return x ^ (x >> 16)


class _Normalized(dict):
    """{code point: what it becomes for matching}, filled as characters are met (for str.translate)."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        value = self[code] = "" if c in ZERO_WIDTH else unicodedata.normalize("NFKC", c).lower()
        return value


class _WordMask(dict):
    """{code point: "w" for a word character, " " for any other} (for str.translate)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = "w" if unicodedata.category(chr(code))[0] in "LNM" else " "
        return value


_NORMALIZED, _WORD_MASK = _Normalized(), _WordMask()
_WORD_RUN = re.compile("w+")


def normalize_char(c: str) -> str:
    """What one code point becomes for matching: NFKC, then lower case; zero-width characters vanish.

    Done per code point (search.js does the same), so every normalised character maps back to one
    character of the displayed text for highlighting."""
    return _NORMALIZED[ord(c)]


def normalize(text: str) -> str:
    return text.translate(_NORMALIZED)


def is_word(c: str) -> bool:
    """Letters, digits and marks (Unicode L, N, M; search.js: /[\\p{L}\\p{N}\\p{M}]/u). Everything else
    (punctuation, spaces, symbols such as the lacuna □) separates terms but keeps its position."""
    return _WORD_MASK[ord(c)] == "w"


def query_terms(query: str) -> list[str]:
    """The terms of a query: runs of word characters of the normalised query, first occurrence order."""
    terms, cur = [], []
    for c in normalize(query):
        if is_word(c):
            cur.append(c)
        elif cur:
            terms.append("".join(cur))
            cur = []
    if cur:
        terms.append("".join(cur))
    seen, out = set(), []
    for t in terms:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def src_from_url(url: str) -> str:
    """Fallback when a record has no ``src``: ``""`` → ``index.md``, ``a/b/`` → ``a/b.md``,
    ``a/b.html`` → ``a/b.md``. A section index (``a/index.md`` served as ``a/``) must give ``src``."""
    url = url.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    if url in ("", "./"):
        return "index.md"
    if url.endswith("/"):
        return url[:-1] + ".md"
    if url.endswith(".html"):
        return url[:-5] + ".md"
    return url if url.endswith(".md") else url + ".md"


def page_url(src: str, directory_urls: bool) -> str:
    """The site-relative URL MkDocs gives a page (mirrors search.js ``pageUrl``)."""
    if not directory_urls:
        return src[:-3] + ".html"
    if src == "index.md":
        return ""
    if src.endswith("/index.md"):
        return src[: -len("index.md")]
    return src[:-3] + "/"


def _js(name: str, data) -> bytes:
    """The data as a JSON string inside the script, which the browser hands to JSON.parse: V8 parses a
    large JSON string much faster than the same object literal (measured: most of a query's time was the
    compilation of the shards)."""
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f'__searchIndex({json.dumps(name)},{json.dumps(body, ensure_ascii=False)});\n'.encode("utf-8")


_NO_ZERO_WIDTH = dict.fromkeys(map(ord, ZERO_WIDTH))


def _clean_display(text: str) -> str:
    """Text shown in results: no zero-width characters, no line breaks."""
    text = text.translate(_NO_ZERO_WIDTH)
    return " ".join(text.split()) if ("\n" in text or "\r" in text or "\t" in text) else text


class _Posting:
    """One key's posting as fragments are appended to it (``_append``), in its encoded form (a bytearray)
    to keep memory small: the record-id delta and occurrence count of each record (and, for a bigram, the
    position deltas); the totals head the posting when it is written (``encoded``). ``head`` is the first
    record's code."""
    __slots__ = ("head", "last", "records", "occurrences", "buf")

    def __init__(self):
        self.head, self.last, self.records, self.occurrences, self.buf = 0, 0, 0, 0, bytearray()

    def fragment(self) -> tuple[list[int], str]:
        """This posting, of the records of a page or group of pages numbered from 0, as a fragment keeps it
        (``page_fragment``, ``merge_fragments``): the first record's code, the last record, the counts and
        the length of the rest of the encoding; that rest."""
        rest = self.buf[len(vlq(self.head)):].decode("ascii")
        return [self.head, self.last, self.records, self.occurrences, len(rest)], rest

    def encoded(self) -> str:
        return vlq(self.records) + vlq(self.occurrences) + self.buf.decode("ascii")


def page_fragment(texts: list[str]) -> dict:
    """The index of one page, its records' texts given in record order (records numbered from 0): the
    normalised length of each, and the postings of its bigrams and of its characters, which
    ``build_index`` appends to the corpus's. Depends on the texts alone, so the pipeline computes it with
    the document (in its worker, kept in the document's cache entry) and an unchanged document's is
    reused. Encoded as ``_append`` reads it, without an object per key (it runs over every character of
    the corpus)."""
    lengths: list[int] = []
    bigram_postings: dict[str, list] = {}  # key -> [head, last record, records, occurrences, encoded rest]
    char_postings: dict[str, list] = {}
    small = _VLQ_SMALL
    for rid, text in enumerate(texts):
        norm = normalize(text)
        lengths.append(len(norm))
        # key -> its positions in this record: two adjacent word characters, or a word character followed
        # by a non-word character or the end (a key of one character)
        local: dict[str, list[int]] = {}
        for run in _WORD_RUN.finditer(norm.translate(_WORD_MASK)):
            start, end = run.span()
            for i in range(start, end - 1):
                positions = local.get(norm[i:i + 2])
                if positions is None:
                    local[norm[i:i + 2]] = [i]
                else:
                    positions.append(i)
            positions = local.get(norm[end - 1])
            if positions is None:
                local[norm[end - 1]] = [end - 1]
            else:
                positions.append(end - 1)
        per_char: dict[str, int] = {}
        for key, positions in local.items():
            n = len(positions)
            per_char[key[0]] = per_char.get(key[0], 0) + n
            if n == 1:
                deltas = vlq(positions[0])
            elif positions[-1] < len(small):
                deltas = small[positions[0]] + "".join([small[b - a] for a, b in zip(positions, positions[1:])])
            else:
                deltas = vlq(positions[0]) + "".join([vlq(b - a) for a, b in zip(positions, positions[1:])])
            _add(bigram_postings, key, rid, n, deltas)
        for c, n in per_char.items():
            _add(char_postings, c, rid, n, "")
    return {"texts": texts_digest(texts), "lengths": lengths, "bigrams": _flat_open(bigram_postings),
            "chars": _flat_open(char_postings)}


def _add(postings: dict[str, list], key: str, rid: int, n: int, deltas: str) -> None:
    """One record's occurrences of a key in an open posting of ``page_fragment`` (the record's code is
    the posting's head when it is the first)."""
    entry = postings.get(key)
    count = vlq(n - 2) if n > 1 else ""
    if entry is None:
        postings[key] = [(rid << 1) | (n > 1), rid, 1, n, [count + deltas]]
    else:
        entry[4].append(vlq(((rid - entry[1]) << 1) | (n > 1)) + count + deltas)
        entry[1] = rid
        entry[2] += 1
        entry[3] += n


def _flat_open(postings: dict[str, list]) -> list:
    """``_flat`` of the open postings of ``page_fragment``."""
    numbers, rests = [], []
    for head, last, records, occurrences, parts in postings.values():
        rest = "".join(parts)
        numbers += (head, last, records, occurrences, len(rest))
        rests.append(rest)
    return [list(postings), numbers, "".join(rests)]


def texts_digest(texts: list[str]) -> str:
    """What a fragment was computed from: build_index uses a given fragment only for the same texts."""
    return hashlib.sha256("\0".join(texts).encode("utf-8")).hexdigest()


def _flat(postings: dict[str, _Posting]) -> list:
    """[keys, the five numbers of each key's fragment in one list, the rests in one string]: compact JSON,
    parsed fast."""
    numbers, rests = [], []
    for posting in postings.values():
        values, rest = posting.fragment()
        numbers += values
        rests.append(rest)
    return [list(postings), numbers, "".join(rests)]


def _append(merged: dict[str, _Posting], part: list, base: int) -> None:
    """Append a fragment's postings (``part``: keys, numbers, rests) whose first record is record ``base``
    of ``merged``: only each posting's first record-id delta is encoded again. This loop runs once per page
    (or group of pages) and key of the corpus."""
    keys, numbers, rests = part
    values, at = iter(numbers), 0
    for key, head, last, count, occurrences, length in zip(keys, values, values, values, values, values):
        posting = merged.get(key)
        if posting is None:
            posting = merged[key] = _Posting()
        code = head + ((base - posting.last) << 1)
        if not posting.records:
            posting.head = code
        posting.buf += (vlq(code) + rests[at:at + length]).encode("ascii")
        posting.last = base + last
        posting.records += count
        posting.occurrences += occurrences
        at += length


class _Postings:
    """The postings of consecutive records (numbered from 0) and each record's normalised length, to which
    fragments are appended in record order (``append``) and which is kept as a fragment (``fragment``)."""

    def __init__(self):
        self.bigrams: dict[str, _Posting] = {}
        self.chars: dict[str, _Posting] = {}
        self.lengths: list[int] = []

    def append(self, fragment: dict) -> None:
        _append(self.bigrams, fragment["bigrams"], len(self.lengths))
        _append(self.chars, fragment["chars"], len(self.lengths))
        self.lengths += fragment["lengths"]

    def fragment(self, digest: str) -> dict:
        return {"texts": digest, "lengths": self.lengths, "bigrams": _flat(self.bigrams), "chars": _flat(self.chars)}


def merge_fragments(fragments: list[dict], digest: str = "") -> dict:
    """The fragment of consecutive pages, from theirs in page order (records numbered from the first
    page's first record): what ``build_index`` appends for a group of pages."""
    merged = _Postings()
    for fragment in fragments:
        merged.append(fragment)
    return merged.fragment(digest)


GROUP_BOUNDARY = 64  # pages per group of merged fragments, on average (content-defined boundaries)
GROUP_MAX = 256


def _groups(digests: list[str]) -> list[tuple[int, int]]:
    """(start, end) of consecutive page groups: a group ends after a page whose digest is 0 modulo
    GROUP_BOUNDARY (or at GROUP_MAX pages), so a changed, added or removed page changes its own group
    only, and the other groups' merged fragments are found again in the cache."""
    groups, start = [], 0
    for i, digest in enumerate(digests):
        if int(digest[:8], 16) % GROUP_BOUNDARY == 0 or i + 1 - start >= GROUP_MAX or i + 1 == len(digests):
            groups.append((start, i + 1))
            start = i + 1
    return groups


def build_index(records: list[dict], prefix: str = "search/", **options) -> dict[str, bytes]:
    """The index files of ``index_files`` as {relative path: bytes}, sorted by path."""
    return dict(sorted(index_files(records, prefix, **options)))


def index_files(records: list[dict], prefix: str = "search/", shard_bytes: int = 32768,
                chunk_bytes: int = 16384, own_posting_shards: int = OWN_POSTING_SHARDS,
                fragments: dict[str, dict] | None = None, merged_cache=None):
    """Build the index files from the records; yields (relative path, bytes), each file once it is made,
    so that no more than one shard or chunk is held encoded (and each posting is dropped once written).

    A record: ``url``/``src`` (the page), ``anchor``, ``kind`` (title | heading | paragraph | index),
    ``doc``, ``title``, ``heading``, ``city``, ``year``, ``genre``, ``topics``, ``text``, ``order``.
    ``shard_bytes`` is the target size of a postings shard, ``chunk_bytes`` of a text chunk,
    ``own_posting_shards`` the shards from which a character gets its own posting. ``fragments``: {page
    src: its ``page_fragment``} for the pages whose fragment was computed already (the others, and one
    computed from other texts, are computed here). ``merged_cache`` (``get(digest)``, ``put(digest,
    fragment)``): where the merged fragments of groups of pages (``_groups``) are kept from one build to
    the next, by the digest of their pages' texts."""
    if prefix and not prefix.endswith("/"):
        prefix += "/"

    # Pages and document order.
    pages: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        kind = r.get("kind", "paragraph")
        if kind not in KIND_CODE:
            raise ValueError(f"unknown kind {kind!r} in record {r.get('url')}#{r.get('anchor')}")
        src = r.get("src") or src_from_url(r.get("url", ""))
        pages[src].append(r)

    def page_key(item):
        src, recs = item
        only_index = all(x.get("kind") == "index" for x in recs)
        return (only_index, min(int(x.get("order", 0)) for x in recs), src)

    ordered_pages = [(src, sorted(recs, key=lambda x: (int(x.get("order", 0)), str(x.get("anchor", "")))))
                     for src, recs in sorted(pages.items(), key=page_key)]

    facet_values: dict[str, set] = {"city": set(), "year": set(), "genre": set(), "topic": set()}
    for r in records:
        for f in ("city", "year", "genre"):
            v = str(r.get(f) or "").strip()
            if v:
                facet_values[f].add(v)
        for t in r.get("topics") or ():
            if str(t).strip():
                facet_values["topic"].add(str(t).strip())
    facets = {f: sorted(vs) for f, vs in facet_values.items()}
    facet_id = {f: {v: i for i, v in enumerate(vs)} for f, vs in facets.items()}

    topicsets: list[tuple] = []
    topicset_id: dict[tuple, int] = {}

    docs_stream: list[str] = []
    recs_stream: list[str] = []
    topic_stream: list[str] = []
    prev_topic_rid = 0
    page_of_rid: list[int] = []
    ordered: list[dict] = []
    for pno, (src, recs) in enumerate(ordered_pages):
        first = recs[0]

        def fid(f, r=first):
            v = str(r.get(f) or "").strip()
            return facet_id[f][v] + 1 if v else 0

        docs_stream.append(vlq(len(recs)) + vlq(fid("city")) + vlq(fid("year")) + vlq(fid("genre")))
        for r in recs:
            ordered.append(r if r.get("src") == src else dict(r, src=src))  # no copy of every record
            page_of_rid.append(pno)

    # Postings of the bigrams (with positions), and of the characters (records and occurrences, no
    # positions: kept for the most frequent ones): each page's fragment appended in page order.
    texts_of = [[str(r.get("text") or "") for r in recs] for _, recs in ordered_pages]
    digests = [texts_digest(texts) for texts in texts_of]

    def fragment_of(page: int) -> dict:
        fragment = (fragments or {}).get(ordered_pages[page][0])
        if fragment is None or fragment.get("texts") != digests[page]:
            fragment = page_fragment(texts_of[page])
        return fragment

    corpus = _Postings()
    for start, end in _groups(digests):
        digest = hashlib.sha256("\n".join(digests[start:end]).encode("ascii")).hexdigest()
        group = merged_cache.get(digest) if merged_cache is not None else None
        if group is None or group.get("texts") != digest:
            group = merge_fragments([fragment_of(page) for page in range(start, end)], digest)
            if merged_cache is not None:
                merged_cache.put(digest, group)
        corpus.append(group)
    postings, char_postings, lengths = corpus.bigrams, corpus.chars, corpus.lengths
    del corpus  # so that `del char_postings` below frees them
    prev_ts = None
    for rid, r in enumerate(ordered):
        ts = tuple(sorted({facet_id["topic"][str(t).strip()] for t in (r.get("topics") or ())
                           if str(t).strip()}))
        if ts not in topicset_id:
            topicset_id[ts] = len(topicsets)
            topicsets.append(ts)
        kind = KIND_CODE[r.get("kind", "paragraph")]
        code = length_bucket(lengths[rid]) * 4 + kind          # 10 bits: two fixed-width digits
        recs_stream.append(CONT[code >> 5] + CONT[code & 31])
        if ts != prev_ts:
            topic_stream.append(vlq(rid - prev_topic_rid) + vlq(topicset_id[ts]))
            prev_topic_rid = rid
        prev_ts = ts

    # Shards: postings grouped by first character.
    size_by_first: dict[str, int] = defaultdict(int)
    for key, posting in postings.items():
        size_by_first[key[0]] += len(posting.buf) + 8
    hot = {c: math.ceil(s / shard_bytes) for c, s in size_by_first.items() if s > shard_bytes}
    cold_total = sum(s for c, s in size_by_first.items() if c not in hot)
    buckets = max(1, math.ceil(cold_total / shard_bytes))

    keys_of: dict[str, list[str]] = {f"b/{i}": [] for i in range(buckets)}  # shard -> its keys, sorted
    for c, k in hot.items():
        for j in range(k):
            keys_of[f"b/{ord(c):x}-{j}"] = []
    for key in sorted(postings):
        a, b = key[0], key[1:]
        if a in hot:
            name = f"b/{ord(a):x}-{h32(ord(b) if b else 0) % hot[a]}"
        else:
            name = f"b/{h32(ord(a)) % buckets}"
        keys_of[name].append(key)
    for name, keys in keys_of.items():
        data: dict[str, dict[str, str]] = {}
        for key in keys:
            data.setdefault(key[0], {})[key[1:]] = postings.pop(key).encoded()
        yield f"{prefix}{name}.js", _js(name, data)
    del keys_of
    for c in (c for c, k in hot.items() if k >= own_posting_shards):
        name = f"b/{ord(c):x}-u"
        yield f"{prefix}{name}.js", _js(name, char_postings[c].encoded())
    del char_postings

    # Text chunks: consecutive records, about chunk_bytes of text each.
    chunk_starts = []
    cur: list = []
    cur_docs: dict[str, list] = {}
    cur_size = 0
    prev_heading = None

    def chunk_file() -> tuple[str, bytes]:  # the chunk being filled, as its file
        name = f"t/{len(chunk_starts) - 1}"
        return f"{prefix}{name}.js", _js(name, {"d": cur_docs, "r": cur})

    for rid, r in enumerate(ordered):
        if not cur or cur_size >= chunk_bytes:
            if cur:
                yield chunk_file()
            cur, cur_docs, cur_size, prev_heading = [], {}, 0, None
            chunk_starts.append(rid)
        pno = str(page_of_rid[rid])
        if pno not in cur_docs:
            cur_docs[pno] = [r["src"], _clean_display(str(r.get("title") or ""))]
        heading = _clean_display(str(r.get("heading") or ""))
        text = _clean_display(str(r.get("text") or ""))
        cur.append([str(r.get("anchor") or ""), 0 if heading == prev_heading else heading, text])
        prev_heading = heading
        cur_size += len(text.encode("utf-8")) + 16
    if cur:
        yield chunk_file()
    del cur, cur_docs

    n = len(ordered)
    avgdl = round(sum(lengths) / n, 4) if n else 0.0
    chunk_deltas = "".join(vlq(b - a) for a, b in zip([0] + chunk_starts, chunk_starts))
    meta = {
        "v": FORMAT_VERSION,
        "n": n,
        "pages": len(ordered_pages),
        "avgdl": avgdl,
        "chunks": chunk_deltas,
        "facets": facets,
        "topicsets": [list(ts) for ts in topicsets],
        "docs": "".join(docs_stream),
        "recs": "".join(recs_stream),
        "topics": "".join(topic_stream),
    }
    yield f"{prefix}meta.js", _js("meta", meta)
    yield f"{prefix}layout.js", _js("layout", {"v": FORMAT_VERSION, "buckets": buckets,
                                               "hot": {c: k for c, k in sorted(hot.items())},
                                               "own": own_posting_shards})


def write_index(files: dict[str, bytes], root) -> None:
    """Write the files under ``root`` (a directory path); stale shard files are the caller's business."""
    import os
    for rel, data in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
