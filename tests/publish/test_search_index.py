"""Tests of the index builder (search_index.py) and of the search runtime (search.js, run under node: the
same code the browser runs) on the small corpus written for the tests (search_corpus.py)."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import subprocess

import pytest

from build_tools.publish import search_index as si
from tests.conftest import ROOT
from tests.publish import search_corpus as dc

HERE = os.path.dirname(os.path.abspath(__file__))
SEARCH_JS = str(ROOT / "docs" / "javascripts" / "search.js")


def node_eval(script: str, data):
    """Run a node snippet with S = require(search.js) and INPUT = data; it prints JSON."""
    prog = ('const S = require(%s); const INPUT = JSON.parse(require("fs").readFileSync(0, "utf8"));\n'
            % json.dumps(SEARCH_JS)) + script
    out = subprocess.run(["node", "-e", prog], input=json.dumps(data), capture_output=True, text=True,
                         check=True, cwd=str(ROOT))
    return json.loads(out.stdout)


def run_queries(index_dir, queries, opencc=True):
    payload = {"opencc": opencc, "queries": [q if isinstance(q, dict) else {"q": q} for q in queries]}
    out = subprocess.run(["node", os.path.join(HERE, "node_search.js"), os.path.join(index_dir, "search")],
                         input=json.dumps(payload), capture_output=True, text=True, check=True, cwd=str(ROOT))
    return json.loads(out.stdout)


def data_of(js: bytes):
    """The data an index file registers: a JSON string holding the JSON (search_index._js)."""
    return json.loads(json.loads(re.search(rb",(.*)\);\n$", js, re.S).group(1)))


def write(files, root):
    si.write_index(files, str(root))
    return str(root)


@pytest.fixture(scope="module")
def records():
    return dc.all_records()


@pytest.fixture(scope="module")
def index_dir(records, tmp_path_factory):
    return write(si.build_index(records), tmp_path_factory.mktemp("idx"))


@pytest.fixture(scope="module")
def tiny_index_dir(records, tmp_path_factory):
    """Shards of ~60 bytes: many buckets and 'hot' characters split in several files, those of 3 or more
    with a posting of their own."""
    return write(si.build_index(records, shard_bytes=60, chunk_bytes=300, own_posting_shards=3),
                 tmp_path_factory.mktemp("tiny"))


def ordered_records(records):
    """Records in record-id order, as build_index numbers them."""
    pages = {}
    for r in records:
        pages.setdefault(r["src"], []).append(r)
    keyed = sorted(pages.items(), key=lambda kv: (all(x["kind"] == "index" for x in kv[1]),
                                                  min(x["order"] for x in kv[1]), kv[0]))
    return [r for _src, recs in keyed for r in sorted(recs, key=lambda x: (x["order"], x["anchor"]))]


# ----------------------------------------------------------------------------------------------------
# Builder: encoding, format, determinism.

def test_vlq_roundtrip():
    nums = [0, 1, 31, 32, 33, 1023, 1024, 4095, 4096, 123456, 2 ** 31 - 1]
    assert si.vlq_decode("".join(si.vlq(n) for n in nums)) == nums
    assert node_eval("console.log(JSON.stringify(S.decodeNumbers(INPUT)))",
                     "".join(si.vlq(n) for n in nums)) == nums


def test_hash_same_in_python_and_js():
    xs = [0, 1, 0x4E00, 0x5E72, 0x9FA5, 0x20000, 0x10FFFF, 65, 97]
    assert node_eval("console.log(JSON.stringify(INPUT.map(S.h32)))", xs) == [si.h32(x) for x in xs]


TRICKY = ["ＧＤＰ增长", "WTO", "组织\u200b工作", "①第一", "ﬁle", "〇七年", "Ⅻ", "㈠总则", "é", "e\u0301",
          "İstanbul", "软\u00ad件", "𠀀字", "干部　教育", "A-B_c", "3.5%"]


def test_normalisation_same_in_python_and_js():
    js = node_eval("console.log(JSON.stringify(INPUT.map(t => [S.normalize(t), S.queryTerms(t).map(x => x.join(''))])))",
                   TRICKY)
    assert js == [[si.normalize(t), si.query_terms(t)] for t in TRICKY]
    assert si.normalize("组织\u200b工作") == "组织工作"
    assert si.query_terms("ＧＤＰ 增长") == ["gdp", "增长"]


def test_page_urls_same_in_python_and_js():
    srcs = ["index.md", "documents/index.md", "documents/001.md", "cities/rugao.md", "search.md", "a/b/index.md"]
    js = node_eval("console.log(JSON.stringify(INPUT.map(s => [S.pageUrl(s, true), S.pageUrl(s, false)])))", srcs)
    assert js == [[si.page_url(s, True), si.page_url(s, False)] for s in srcs]
    assert js[2] == ["documents/001/", "documents/001.html"]
    assert js[1] == ["documents/", "documents/index.html"]
    assert js[0] == ["", "index.html"]
    assert si.src_from_url("documents/001/") == "documents/001.md"
    assert si.src_from_url("") == "index.md"


def test_files_are_javascript_registering_their_name(records):
    files = si.build_index(records, shard_bytes=60, chunk_bytes=300)
    assert "search/meta.js" in files
    names = set()
    for path, data in files.items():
        text = data.decode("utf-8")
        m = re.fullmatch(r'__searchIndex\("([^"]+)",(.*)\);\n', text, re.S)
        assert m, path
        assert path == f"search/{m.group(1)}.js"
        json.loads(json.loads(m.group(2)))  # a JSON string holding the JSON data
        names.add(m.group(1))
        assert "\u200b" not in text
    assert any(n.startswith("b/") and "-" in n for n in names), "expected split shards of hot characters"
    assert sum(n.startswith("t/") for n in names) > 1


def test_deterministic_and_order_independent(records):
    a = si.build_index(records)
    b = si.build_index(records)
    shuffled = list(records)
    random.Random(7).shuffle(shuffled)
    c = si.build_index(shuffled)
    assert a == b == c


def test_fragments_computed_with_the_documents_give_the_same_index(records):
    """The pipeline computes each document page's postings with the document (page_fragment, cached with
    it); build_index appends them: the same bytes as indexing every record here. A fragment of other
    texts (a stale one) is not used."""
    pages = {}
    for r in ordered_records(records):
        pages.setdefault(r["src"], []).append(r["text"])
    fragments = {src: si.page_fragment(texts) for src, texts in pages.items()}
    assert si.build_index(records, shard_bytes=60, fragments=fragments) == si.build_index(records, shard_bytes=60)
    src = next(iter(pages))
    stale = {src: si.page_fragment([*pages[src][:-1], pages[src][-1] + "变了"])}
    assert si.build_index(records, fragments=stale) == si.build_index(records)


def test_merged_groups_kept_from_one_build_to_the_next(records, monkeypatch):
    """Groups of pages are merged once and kept (merged_cache); a later build reads them back, and one
    changed page changes only its own group: the bytes are those of a build without the cache."""
    monkeypatch.setattr(si, "GROUP_BOUNDARY", 2)  # small groups, so that the test corpus has several

    class Kept(dict):
        def put(self, digest, fragment):
            self[digest] = json.loads(json.dumps(fragment))  # as stored: JSON

    kept = Kept()
    first = si.build_index(records, shard_bytes=60, merged_cache=kept)
    assert first == si.build_index(records, shard_bytes=60) and len(kept) > 2
    groups = set(kept)
    assert si.build_index(records, shard_bytes=60, merged_cache=kept) == first and set(kept) == groups
    changed = [dict(r, text=r["text"] + "又及") if i == 5 else r for i, r in enumerate(records)]
    assert si.build_index(changed, shard_bytes=60, merged_cache=kept) == si.build_index(changed, shard_bytes=60)
    assert len(set(kept) - groups) == 1


def test_paragraphs_keep_document_order_in_the_built_index(built):
    """Record ids follow the page: p2 before p10 (ranking ties and text chunks follow document order)."""
    _, docs = built
    anchors = []
    for number in range(len(list((docs / "search" / "t").glob("*.js")))):
        text = (docs / "search" / "t" / f"{number}.js").read_text(encoding="utf-8")
        anchors += [row[0] for row in json.loads(json.loads(text[text.index(",") + 1:-3]))["r"]]
    previous = 0
    for anchor in anchors:
        if anchor == "":  # a page's title: a new page
            previous = 0
        elif re.fullmatch(r"p\d+", anchor):
            assert int(anchor[1:]) > previous, anchors
            previous = int(anchor[1:])
    assert sum(a == "p10" for a in anchors) >= 2


def test_meta_records_and_postings(records):
    files = si.build_index(records)
    meta = data_of(files["search/meta.js"])
    assert meta["n"] == len(records)
    assert meta["pages"] == 6
    assert meta["facets"]["city"] == ["台州市", "如皋市"]
    assert sorted(meta["facets"]["topic"]) == meta["facets"]["topic"]
    # Postings of 能革: one record, at the position of 能 in the normalised text.
    shard = data_of(files["search/b/0.js"])
    nums = si.vlq_decode(shard["能"]["革"])
    rows = ordered_records(records)
    expect, prev, positions = [], 0, 0
    for rid, r in enumerate(rows):
        norm = si.normalize(r["text"])
        pos = [m.start() for m in re.finditer("(?=能革)", norm)]
        if pos:
            expect += [((rid - prev) << 1) | (len(pos) > 1)] + ([len(pos) - 2] if len(pos) > 1 else [])
            expect += [p - q for p, q in zip(pos, [0] + pos[:-1])]
            prev = rid
            positions += len(pos)
    expect = [sum(1 for r in rows if "能革" in si.normalize(r["text"])), positions] + expect
    assert nums == expect


def test_text_chunks_hold_clean_passages(records):
    files = si.build_index(records, chunk_bytes=300)
    texts = []
    for path in sorted((p for p in files if "/t/" in p), key=lambda p: int(p.rsplit("/", 1)[1][:-3])):
        data = data_of(files[path])
        texts += [row[2] for row in data["r"]]
    assert len(texts) == len(records)
    assert "组织建设方面，推行党员当先锋、岗位作贡献活动。" in texts
    assert not any("\u200b" in t or "\n" in t for t in texts)


def test_rejects_unknown_kind():
    with pytest.raises(ValueError):
        si.build_index([{"src": "a.md", "kind": "footnote", "text": "x", "order": 0}])


# ----------------------------------------------------------------------------------------------------
# Matching: the JS engine's exact hits equal a naive substring scan of the normalised texts.

def naive_exact(rows, query):
    terms = si.query_terms(query)
    return sorted(rid for rid, r in enumerate(rows) if terms and all(t in si.normalize(r["text"]) for t in terms))


def sample_queries(rows, n=150, seed=1):
    rnd = random.Random(seed)
    texts = [si.normalize(r["text"]) for r in rows]
    out = set()
    while len(out) < n:
        t = rnd.choice(texts)
        length = rnd.randint(1, 8)
        if len(t) < length:
            continue
        i = rnd.randrange(0, len(t) - length + 1)
        out.add(t[i:i + length])
    out |= {"党", "工作", "干部 教育", "党员 先锋", "gdp", "WTO", "12.5", "组织　建设", "能革命", "教育培"}
    out |= {"".join(rnd.sample("干部党员组织工作教育培训先锋人才", 3)) for _ in range(30)}
    return sorted(out)


@pytest.mark.parametrize("which", ["index_dir", "tiny_index_dir"])
def test_exact_hits_equal_naive_scan(records, which, request):
    rows = ordered_records(records)
    queries = sample_queries(rows)
    results = run_queries(request.getfixturevalue(which), queries, opencc=False)
    for q, r in zip(queries, results):
        got = sorted(rid for rid, exact, _s in r["hits"] if exact)
        assert got == naive_exact(rows, q), q


def test_same_ranking_with_any_shard_size(index_dir, tiny_index_dir, records):
    queries = sample_queries(ordered_records(records), n=60, seed=3)
    a = run_queries(index_dir, queries, opencc=False)
    b = run_queries(tiny_index_dir, queries, opencc=False)
    assert [r["hits"] for r in a] == [r["hits"] for r in b]


def test_query_loads_only_its_shards(tiny_index_dir):
    n_shards = len(os.listdir(os.path.join(tiny_index_dir, "search", "b")))
    (r,) = run_queries(tiny_index_dir, ["能革"])
    shard_files = [f for f in r["files"] if f.startswith("b/")]
    assert len(shard_files) == 1 and n_shards > 10
    (r,) = run_queries(tiny_index_dir, ["干部教育培训"])
    assert len([f for f in r["files"] if f.startswith("b/")]) <= 5
    # A frequent character (many shards of its own) is found through its own posting: one file.
    with open(os.path.join(tiny_index_dir, "search", "layout.js"), "rb") as f:
        layout = data_of(f.read())
    hot = layout["hot"]
    char = max(sorted(hot), key=hot.get)
    (r,) = run_queries(tiny_index_dir, [char])
    assert hot[char] >= layout["own"] and [f for f in r["files"] if f.startswith("b/")] == ["b/%x-u" % ord(char)]
    assert r["exact"] > 1
    # A character of fewer shards reads them all.
    char = next(c for c in sorted(hot) if 1 < hot[c] < layout["own"])
    (r,) = run_queries(tiny_index_dir, [char])
    assert len([f for f in r["files"] if f.startswith("b/")]) == hot[char]


def test_conversion_skipped_only_when_it_changes_nothing():
    """canConvert (which lets the results page skip building an OpenCC converter) is never false for a
    text that the converter changes: every CJK character, and phrases, with the vendored opencc-js."""
    out = node_eval("""
const O = require("./node_modules/opencc-js/dist/umd/t2cn.js");
const res = {wrong: [], skipped: 0};
for (const from of ["t", "tw", "hk"]) {
  const conv = O.Converter({from: from, to: "cn"}), config = O.Locale.configs[from + "2s"];
  const texts = INPUT.slice();
  for (let cp = 0x4e00; cp < 0xa000; cp++) texts.push(String.fromCodePoint(cp));
  for (const t of texts) {
    if (S.canConvert(config, t)) continue;
    res.skipped++;
    if (conv(t) !== t) res.wrong.push([from, t]);
  }
}
console.log(JSON.stringify(res));""", ["干部教育培训", "量子纠缠", "乾隆年間", "組織工作", "后来", "wto 2004"])
    assert out["wrong"] == [] and out["skipped"] > 10000


# ----------------------------------------------------------------------------------------------------
# Ranking and results.

@pytest.fixture(scope="module")
def results(index_dir):
    queries = ["干部教育培训", "能革", "組織工作", "党员 先锋", "wto", "GDP", "党", "组织建设", "不存在的词语",
               "干部教育工作", "党管人才", "组织工作", "党员 不存在", "經區大講堂",
               {"q": "干部教育", "select": {"city": ["台州市"]}},
               {"q": "干部教育", "select": {"topic": ["机关作风"]}}]
    out = run_queries(index_dir, queries)
    return {json.dumps(q, ensure_ascii=False) if isinstance(q, dict) else q: r for q, r in zip(queries, out)}


def test_phrase_top_result(results):
    r = results["干部教育培训"]
    assert r["exact"] == 4
    top = r["top"][0]
    assert "干部教育培训" in top["text"] and top["exact"]
    assert "<mark>干部教育培训</mark>" in top["snippet"]


def test_heading_and_title_boosted(results):
    kinds = [t["kind"] for t in results["干部教育培训"]["top"][:4]]
    assert kinds == ["heading", "heading", "paragraph", "paragraph"]
    assert results["组织工作"]["top"][0]["kind"] == "title"


def test_exact_before_partial(results):
    r = results["干部教育培训"]
    flags = [e for _rid, e, _s in r["hits"]]
    assert flags == sorted(flags, reverse=True) and r["partial"] > 0
    r = results["干部教育工作"]
    assert r["exact"] == 0 and r["partial"] > 0
    assert all(not t["exact"] for t in r["top"])


def test_inner_bigram(results):
    r = results["能革"]
    assert r["exact"] == 2
    assert all("效能革命" in t["text"] for t in r["top"])
    assert "效<mark>能革</mark>命" in r["top"][1]["snippet"]


def test_traditional_query(results):
    r = results["組織工作"]
    assert r["variant"] == "组织工作" and r["exact"] > 0
    assert "组织工作" in r["top"][0]["text"]
    r = results["經區大講堂"]
    assert r["variant"] == "经区大讲堂" and "经区大讲堂" in r["top"][0]["text"]


def test_all_words_required(results):
    r = results["党员 先锋"]
    assert r["exact"] == 2
    assert all("党员" in t["text"] and "先锋" in t["text"] for t in r["top"])
    assert results["党员 不存在"]["hits"] == []


def test_latin_case_insensitive_and_width(results):
    assert "<mark>WTO</mark>" in results["wto"]["top"][0]["snippet"]
    snippets = [t["snippet"] for t in results["GDP"]["top"]]
    assert any("<mark>ＧＤＰ</mark>" in s for s in snippets) and any("<mark>GDP</mark>" in s for s in snippets)


def test_single_character(results, records):
    r = results["党"]
    assert r["exact"] == len(naive_exact(ordered_records(records), "党"))
    assert all("党" in t["text"] for t in r["top"])


def test_zero_width_inside_text(results):
    r = results["组织建设"]
    assert r["exact"] == 1
    assert r["top"][0]["snippet"] == "<mark>组织建设</mark>方面，推行党员当先锋、岗位作贡献活动。"


def test_ties_by_document_order(results):
    r = results["党管人才"]
    assert [t["src"] for t in r["top"]] == ["documents/002.md", "documents/004.md"]
    assert r["hits"][0][2] == r["hits"][1][2]


def test_document_paragraphs_before_index_pages(results):
    r = results["组织工作"]
    kinds = [t["kind"] for t in r["top"]]
    assert "index" in kinds
    first_index = kinds.index("index")
    assert all(k == "index" for k in kinds[first_index:])


def test_no_result(results):
    r = results["不存在的词语"]
    assert r["hits"] == [] and r["exact"] == 0 and r["top"] == []


def test_facets(results):
    r = results[json.dumps({"q": "干部教育", "select": {"city": ["台州市"]}}, ensure_ascii=False)]
    assert r["top"] and all(t["city"] == "台州市" for t in r["top"])
    counts = dict(r["facets"]["city"])       # the city facet ignores its own selection
    assert counts["台州市"] > 0 and counts["如皋市"] > 0
    assert dict(r["facets"]["year"]).keys() <= {"2003", "2010"}
    r = results[json.dumps({"q": "干部教育", "select": {"topic": ["机关作风"]}}, ensure_ascii=False)]
    assert r["hits"] == []


def test_result_fields_and_urls(results):
    top = results["能革"]["top"][1]
    assert top["title"] == "在全市组织工作会议上的讲话"
    assert (top["city"], top["year"], top["genre"]) == ("如皋市", "2007", "讲话")
    assert top["heading"] == "二、深入开展效能革命" and top["anchor"] == "p5"
    assert top["url_online"] == "documents/001/" and top["url_offline"] == "documents/001.html"
    assert top["topic"] == ["机关作风"]


def test_snippet_window_and_escaping():
    long_text = "前" * 300 + "效能革命" + "后\n" * 300
    html = node_eval("console.log(JSON.stringify(S.snippetHtml(INPUT, ['效能革命'])))", long_text)
    assert html.startswith("…") and html.endswith("…") and "<mark>效能革命</mark>" in html
    assert "\n" not in html and len(html) < 260
    html = node_eval("console.log(JSON.stringify(S.snippetHtml(INPUT, ['b'])))", "<a&b>")
    assert html == "&lt;a&amp;<mark>b</mark>&gt;"


def test_first_page_selection_equals_full_sort(index_dir, records):
    queries = sample_queries(ordered_records(records), n=40, seed=5) + [
        {"q": "工作", "select": {"city": ["如皋市"]}}, {"q": "干部", "select": {"topic": ["干部教育", "人才工作"]}}]
    for r in run_queries(index_dir, queries, opencc=False):
        assert r["first"] == [h[0] for h in r["hits"][:20]]
        assert r["count"]["total"] == len(r["hits"])


def test_deterministic_on_a_synthetic_corpus():
    spec = importlib.util.spec_from_file_location("search_bench", ROOT / "bench" / "search_bench.py")
    bench_search = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_search)
    records = bench_search.make_corpus(150)
    shuffled = list(records)
    random.Random(11).shuffle(shuffled)
    a = si.build_index(records, shard_bytes=4096, chunk_bytes=4096)
    assert a == si.build_index(shuffled, shard_bytes=4096, chunk_bytes=4096)
    assert any("-" in k for k in a)          # some split shards of frequent characters
