"""The real seeds through the real pipeline: pages, metadata, cleaning and the edit log."""
from __future__ import annotations

import hashlib
import json
import re

import pytest
import yaml

from build_tools.build import build
from build_tools.clean.convert import detect_script
from build_tools.clean.decode import decode
from build_tools.clean.edits import log_from_json, replay

from .conftest import ROOT, SEEDS, seed_ids

HAN = r"[\u4e00-\u9fff]"


def test_raw_sources_are_byte_identical_to_the_archived_originals():
    expected = dict(line.split()[::-1] for line in (ROOT / "tests" / "seeds.sha256").read_text().splitlines())
    assert set(expected) <= {p.name for p in SEEDS.glob("*.txt")}  # sources added later are not pinned here
    for name, digest in expected.items():
        assert hashlib.sha256((SEEDS / name).read_bytes()).hexdigest() == digest, name


def test_build_never_modifies_seeds(corpus, tmp_path):
    (corpus / "broken.yml").write_text("id: [unclosed\n", encoding="utf-8")
    before = {p.relative_to(corpus): p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    build(corpus, tmp_path / "docs", progress=False)
    after = {p.relative_to(corpus): p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize("doc_id", seed_ids())
def test_each_seed_has_its_page_with_its_metadata(pages, doc_id):
    sidecar = next(yaml.safe_load(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.yml")
                   if yaml.safe_load(p.read_text(encoding="utf-8"))["id"] == doc_id)
    meta, body = pages[doc_id]
    for key, value in sidecar.items():
        assert meta[key] == value, key
    assert meta["inferred"] == (sidecar.get("inferred") or {})  # a draft from `add` names what is unchecked
    assert body.lstrip().startswith("# ")
    assert re.match(r"^[0-9a-f]{64}$", meta["provenance"]["raw_sha256"])


def document_text(body: str) -> str:
    """The page without its metadata table: the text of the document itself."""
    return "\n".join(line for line in body.splitlines() if not line.startswith("|"))


def headings(body: str) -> list[str]:
    """Headings of the document's own text (not the archive's related-documents block or 校勘记)."""
    text = body.split("\n## 索引与关联")[0].split("\n## 来源与校验")[-1]
    return [re.sub(r"\s*\{ #[^}]+ \}$", "", m) for m in re.findall(r"^#{2,6} (.+)$", text, re.M)]


def raw_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_yearbook_entries_of_000_are_headings(pages):
    entries = re.findall(r"^【([^】]+)】", raw_text("000"), re.M)
    assert len(entries) == 17
    found = headings(pages["000-df4a7801ed8c6299"][1])
    assert found == entries


def test_entries_and_run_in_subheads_of_003_are_headings(pages):
    entries = re.findall(r"^【([^】]+)】", raw_text("003"), re.M)
    found = headings(pages["003-531a5443262867f5"][1])
    for entry in entries:
        assert entry in found
    for subhead in ["村居基层基础工作整治", "薄弱村级班子整治", "规范基层组织建设工作机制", "选拔任用", "公开考录",
                    "集中培训", "学习教育、听取意见环节（9月3—30日）"]:
        assert subhead in found
    body = pages["003-531a5443262867f5"][1]
    assert "### 村居基层基础工作整治 { #村居基层基础工作整治 }\n\n2012年11月，工委召开" in body


def test_attribution_is_shown_once_not_as_clutter(pages):
    meta, body = pages["000-df4a7801ed8c6299"]
    assert meta["attributions"] == ["（章福宝 余一苗）"]
    assert body.count("章福宝 余一苗") == 1
    assert "章福宝 余一苗" not in document_text(body)
    meta, body = pages["003-531a5443262867f5"]
    assert meta["attributions"] == ["（工委组织部供稿）"]
    assert "工委组织部供稿" not in document_text(body)
    assert "| 署名 | （工委组织部供稿） |" in body


FOOTER_AND_FARM = ["赞（0）", "赞(0)", "打赏", "未经允许不得转载", "分享到", "联系我们", "新闻投稿", "更专业 更方便",
                   "信息来源", "Original URL", "导语", "不代表本站", "网友上传", "时间：2022", "時間"]


@pytest.mark.parametrize("doc_id", seed_ids())
def test_no_footer_or_content_farm_text_remains(pages, built, doc_id):
    _, docs = built
    clean = (docs / "data" / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8")
    for text in FOOTER_AND_FARM:
        assert text not in clean, text
        assert text not in document_text(pages[doc_id][1]), text


def test_footer_provenance_moves_into_metadata(pages):
    assert pages["000-df4a7801ed8c6299"][0]["provenance"]["from_text"] == {"source_site": "中国绍兴政府门户网站"}
    assert pages["001-b16a05757ca6571f"][0]["provenance"]["from_text"] == {"source_site": "雉水网"}
    assert pages["003-531a5443262867f5"][0]["provenance"]["from_text"]["original_url"].startswith("http://lib.sdsqw.cn/")
    assert pages["004-c74ad4d4a80dbc28"][0]["provenance"]["from_text"] == {"posted_at": "2022-11-18 02:19:00"}


def test_002_is_split_into_its_real_paragraphs(built):
    _, docs = built
    raw = raw_text("002")
    separators = len(re.findall("\u3000{2,}", raw))
    clean = (docs / "data" / "clean" / "002-ea8f1b29854c3300.txt").read_text(encoding="utf-8")
    paragraphs = clean.rstrip("\n").split("\n\n")
    # the title line, and the body line cut at every run of ideographic spaces
    assert len(paragraphs) == 1 + separators + 1
    assert "\u3000" not in clean
    assert all(p.strip() == p for p in paragraphs)


def test_004_page_is_simplified(pages, built):
    _, docs = built
    clean = (docs / "data" / "clean" / "004-c74ad4d4a80dbc28.txt").read_text(encoding="utf-8")
    assert detect_script(clean)["script"] == "simplified"
    assert detect_script(raw_text("004"))["script"] == "traditional"
    assert "宁波市、温州市和绍兴市" in clean
    assert pages["004-c74ad4d4a80dbc28"][0]["provenance"]["edits_by_stage"]["convert"] > 1000


def test_simplified_sources_are_not_converted(pages):
    for doc_id, (meta, _) in pages.items():
        if meta["provenance"]["detected_script"]["script"] == "simplified":
            assert "convert" not in meta["provenance"]["edits_by_stage"], doc_id


@pytest.mark.parametrize("doc_id", seed_ids())
def test_no_ascii_punctuation_between_cjk(pages, built, doc_id):
    _, docs = built
    clean = (docs / "data" / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8")
    for text in (clean, pages[doc_id][1]):
        assert not re.findall(f"{HAN}[,:;]{HAN}", text)


def test_numbers_are_untouched(built):
    _, docs = built
    clean = "".join(p.read_text(encoding="utf-8") for p in (docs / "data" / "clean").glob("*.txt"))
    for number in ["1.4万", "99.99%", "88.58万元", "5‰~ 8‰", "1 : 3", "2 ~ 3个", "126.6亿元"]:
        assert number in clean, number


@pytest.mark.parametrize("doc_id", seed_ids())
def test_edit_log_replays_to_the_cleaned_text(built, doc_id):
    _, docs = built
    log = json.loads((docs / "data" / "edits" / f"{doc_id}.json").read_text(encoding="utf-8"))
    decoded, encoding, _ = decode((ROOT / log["source"]).read_bytes(), log["source"])
    assert encoding == log["encoding"]
    clean = (docs / "data" / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8")
    assert replay(decoded, log_from_json(log["steps"])) == clean
    assert decoded != clean


def test_paragraph_and_heading_anchors_are_unique_and_stable(pages):
    for doc_id, (_, body) in pages.items():
        anchors = re.findall(r"\{: #(p\d+) \}", body) + re.findall(r"\{ #([^ }]+) \}", body)
        assert len(anchors) == len(set(anchors)), doc_id
        numbers = [int(a[1:]) for a in re.findall(r"\{: #(p\d+) \}", body)]
        assert numbers == list(range(1, len(numbers) + 1))


def test_builds_are_deterministic(tmp_path):
    trees = []
    for name in ("a", "b"):
        docs = tmp_path / name / "docs"
        assert build(SEEDS, docs, progress=False).ok
        trees.append({p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    sources = len(list(SEEDS.glob("*.txt")))
    assert len([name for name in trees[0] if name.startswith(("documents/", "data/raw/", "data/clean/", "data/edits/"))
                and "/index" not in name]) == sources * 4


def test_second_build_comes_from_the_cache_and_rewrites_nothing(tmp_path, corpus):
    docs, cache = tmp_path / "docs", tmp_path / "cache"
    first = build(corpus, docs, cache_dir=cache, progress=False)
    assert first.ok and first.written and not any(b.cached for b in first.built)
    mtimes = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    second = build(corpus, docs, cache_dir=cache, progress=False)
    assert all(b.cached for b in second.built) and not second.written
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()} == mtimes
    # an edited sidecar is a different cache key: that document is rebuilt, the others are not
    sidecar = corpus / "002_ea8f1b29854c3300.yml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("潍坊市全力做好", "潍坊市全力做好的"), encoding="utf-8")
    third = build(corpus, docs, cache_dir=cache, progress=False)
    assert [b.meta["id"] for b in third.built if not b.cached] == ["002-ea8f1b29854c3300"]
    assert third.written
    assert "潍坊市全力做好的党建" in (docs / "documents" / "002-ea8f1b29854c3300.md").read_text(encoding="utf-8")
