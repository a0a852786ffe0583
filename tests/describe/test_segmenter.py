"""Classification segments with rjieba (jieba-rs) for speed: its words must be jieba's own (lcut, HMM on,
the same added vocabulary), on every text the tests have: the seeds' cleaned text and the shape fixtures."""
from __future__ import annotations

import jieba

from build_tools.describe import classify
from tests.conftest import ROOT


def test_segmentation_is_jiebas(built):
    _, docs = built
    reference = jieba.Tokenizer()
    reference.initialize()
    for term in sorted(set(classify.taxonomy()["by_keyword"]) | set(classify.place_names())):
        reference.add_word(term, freq=max(reference.FREQ.get(term, 0), 2000))
    texts = [path.read_text(encoding="utf-8") for path in sorted((docs / "data" / "clean").glob("*.txt"))]
    texts += [path.read_text(encoding="utf-8", errors="replace")
              for path in sorted((ROOT / "tests" / "fixtures" / "shapes").glob("*.txt"))]
    texts.append("时间：2022-11-18 02:19:00 网址 lib.sdsqw.cn/bin/mse.exe?K=ca6 增长3.5%，达95% ＧＤＰ C#语言 R&D部门 "
                 "café İstanbul Ⅻ条 ①第一 α-β A+B a_b 京A·12345 x² ISO9001 第2.3.4条 5‰ ——“引号”")
    segmenter = classify.tokenizer()
    for text in texts:
        assert segmenter.lcut(text) == reference.lcut(text)
