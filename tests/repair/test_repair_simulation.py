"""Ground truth by simulation: clean text written for these tests is damaged the way the sites damaged
the seeds, byte by byte, and the repair must restore it exactly (a truly lost byte may only become a
lacuna). Hypothesis generates the cases; each test reports its exact-restoration rate, also written to
build/test-artifacts/repair-simulation.json. Where the bytes leave a choice that only a language model can
make, a miss must never be silent: flagged for review, or left alone and reported by the detector."""
from __future__ import annotations

import json
import re

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from build_tools.clean.edits import apply_edits
from build_tools.publish.page import REVIEW_BELOW
from build_tools.repair import suspicious
from build_tools.repair.model import LACUNA, CorpusModel
from build_tools.repair.shift import shift_edits
from build_tools.repair.stage import repair
from tests.conftest import ROOT

CLEAN = ("县委组织部认真总结干部教育培训经验，围绕发展抓党建，选派优秀年轻干部到基层挂职锻炼。"
         "全县共举办各类培训班12期，培训党员干部3000余人次，群众满意率达到95%，明显提高。"
         "今后要进一步加强人才工作，完善考核评价机制，营造尊重知识、尊重人才的良好氛围。"
         "听取了当地组织部门的情况介绍，考察了党员电化教育中心和社区党员服务站。")
# Two more texts of the same kind, with digits, an English abbreviation in parentheses and quotation marks.
MORE = ["市委召开全市组织工作会议，传达学习中央和省委有关精神，总结2006年工作，部署今年任务。"
        "会议指出，要坚持党管干部原则，深化干部人事制度改革，扩大干部工作中的民主，"
        "全年公开选拔副县级领导干部18名，竞争上岗236人，试行(WTO)规则培训。",
        "各乡镇党委书记述职评议工作全面推开，“三级联创”活动深入开展，农村党员远程教育站点覆盖率达到100%。"
        "经济开发区建立非公有制企业党组织47个，新发展党员312名，流动党员管理服务进一步规范。"]


def _han(text: str) -> list[str]:
    return sorted({c for c in text if "\u4e00" <= c <= "\u9fff"})


def _straddling(text: str) -> list[str]:
    """Characters whose GBK bytes occur across a character boundary of `text` (trail + next lead)."""
    found = set()
    for a, b in zip(text, text[1:]):
        pair = a.encode("gbk")[-1:] + b.encode("gbk")[:1]
        try:
            char = pair.decode("gbk")
        except UnicodeDecodeError:
            continue
        if len(char) == 1 and "\u4e00" <= char <= "\u9fff":
            found.add(char)
    return sorted(found)


SIMULATED = [(text, _han(text), _straddling(text))
             for text in map(opencc.OpenCC("s2t.json").convert, [CLEAN, *MORE])]
# Outline headings and a small corpus of ordinary paragraphs, written for these tests.
HEADINGS = ["以健全制度为保障，推进干部人事制度改革", "要在服务群众上下功夫", "创新能力得到进一步提升",
            "以加强基层组织建设为重点，夯实执政基础", "坚持把人才工作放在突出位置", "深入开展党员教育培训工作",
            "进一步完善干部考核评价机制", "组织部门自身建设得到加强"]
CORPUS = [CLEAN, "各级党组织要以改革创新精神加强自身建设，进一步提升服务群众的能力和水平。",
          "我们坚持以制度建设为保障，以人才工作为重点，推进组织工作创新发展。",
          "全县基层党组织建设取得新进展，党员队伍素质得到进一步提高。",
          # undamaged outline headings, as every document of the genre has
          "1．以服务发展为第一要务", "2．要在抓落实上见成效", "3．坚持正确用人导向", "4．全面推进党务公开"]
RESULTS = ROOT / "build" / "test-artifacts" / "repair-simulation.json"


def report(name: str, outcomes: list[bool]) -> float:
    rate = sum(outcomes) / len(outcomes)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[name] = {"cases": len(outcomes), "exact": sum(outcomes), "rate": round(rate, 3)}
    RESULTS.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    print(f"\n{name}: {sum(outcomes)}/{len(outcomes)} restored exactly ({rate:.1%})")
    return rate


def narrow(text: str) -> str:
    """The site's last step: full-width ASCII variants (，７＜) became ASCII."""
    return "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text)


def site_decode(data: bytes) -> str:
    """The scraping site's decoder, as seed 004 shows it: a lead byte and the next byte are read as one
    two-byte code, a code in GBK's user-defined areas as a private-use character (004's misaligned run
    `诵菡\ue479` has one), and a pair that is no two-byte code at all (its second byte ASCII, such as the
    inserted "(" or a digit) becomes "?" with both bytes consumed. Full-width forms are then narrowed."""
    out, i = [], 0
    while i < len(data):
        if data[i] < 0x80:
            out.append(chr(data[i]))
            i += 1
            continue
        try:
            char = data[i:i + 2].decode("gb18030")
            out.append(char if len(char) == 1 else "?")
        except UnicodeDecodeError:
            out.append("?")
        i += 2
    return narrow("".join(out))


def annotate_bytes(text: str, chars: list[str]) -> str:
    """The site's find/replace on GBK bytes: after each listed character, its reading. A match may
    straddle two characters (trail byte of one, lead byte of the next)."""
    data = text.encode("gbk")
    for char in chars:
        reading = pinyin(char, style=Style.TONE)[0][0]
        data = data.replace(char.encode("gbk"), char.encode("gbk") + f"({reading})".encode("gbk"))
    return site_decode(data)


def restored(repaired: str, original: str) -> bool:
    """Exact, except that a lacuna may stand where a byte was truly lost. Compared after narrowing: a
    full-width comma recovered from the bytes of a misaligned run (which the site's narrowing never saw)
    is the original's character too."""
    repaired, original = narrow(repaired), narrow(original)
    return len(repaired) == len(original) and all(a == b or a == "□" for a, b in zip(repaired, original))


def flagged(repair_result) -> bool:
    """Whether the repair flagged a choice of its own for review (a non-lacuna emendation below the
    threshold at which a page marks it 待核)."""
    return any(e.confidence is not None and e.confidence < REVIEW_BELOW and LACUNA not in e.after
               for e in repair_result.edits)


def test_simulated_reading_insertion_on_bytes_is_restored():
    outcomes, straddled, silent_misses = [], [], []

    @settings(max_examples=400, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def case(data):
        text, han, straddling = data.draw(st.sampled_from(SIMULATED))
        chars = data.draw(st.lists(st.sampled_from(han), max_size=12, unique=True))
        chars += [c for c in data.draw(st.lists(st.sampled_from(straddling), max_size=2, unique=True)) if c not in chars]
        damaged = annotate_bytes(text, chars)
        result = repair(damaged)
        ok = restored(result.text, narrow(text))
        outcomes.append(ok)
        if re.search(r"\?[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", damaged):
            straddled.append(ok)
        if not ok and not flagged(result):
            silent_misses.append("".join(chars))

    case()
    rate = report("reading insertion on GBK bytes (all cases)", outcomes)
    straddle_rate = report("reading insertion on GBK bytes (cases with straddle damage)", straddled)
    assert len(straddled) >= 100  # the generator does produce the byte-level mechanism
    # A miss is a choice between two readings the bytes allow equally (三级/升级 after a lost lead byte),
    # made by the language model; it must be flagged for review, never silent.
    assert silent_misses == []
    # Measured (derandomized): 396/400 overall, 241/245 with straddle damage.
    assert rate >= 0.97 and straddle_rate >= 0.95


def test_simulated_one_byte_shift_is_restored():
    model = CorpusModel.from_paragraphs(CORPUS)
    outcomes, left_alone, silent_misses = [], [], []

    @settings(max_examples=200, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(HEADINGS), st.integers(1, 9), st.integers(0x81, 0xFE), st.integers(1, 9))
    def case(heading, number, stray, k):
        data = heading.encode("gbk")
        k = min(k, next((i for i, c in enumerate(heading) if not "\u4e00" <= c <= "\u9fff"), len(heading)))
        # the stray byte shifts the stream; the character at the resync point loses its trail byte
        damaged_bytes = bytes([stray]) + data[:2 * k - 1] + data[2 * k:]
        damaged = f"{number}{site_decode(damaged_bytes)}"
        if "?" in damaged[:k + 1] or not all("\u4e00" <= c <= "\u9fff" for c in damaged[1:k + 1]):
            return  # this stray byte would not give the signature (the decoder could not read the run)
        text = f"上半年工作回顾。\n{damaged}\n"
        edits = shift_edits(text, model)
        ok = restored(apply_edits(text, edits), f"上半年工作回顾。\n{number}．{heading}\n")
        outcomes.append(ok)
        if not ok and not edits:
            left_alone.append(damaged)
            assert suspicious.find(text), damaged  # reported by the build, failing --strict
        elif not ok and all(e.confidence >= REVIEW_BELOW for e in edits):
            silent_misses.append(damaged)

    case()
    assert len(outcomes) >= 50
    # A wrong repair is flagged for review, never silent. The misses left alone are one-character runs whose
    # damaged character is an ordinary one (3我在…, 1且健全…): the text reads as well as any repair of it,
    # so it stays, reported by the detector, for an erratum.
    assert silent_misses == []
    print(f"left alone: {left_alone}")
    # Measured: 93/94 (the examples hypothesis draws change with this file's source and the test order;
    # 79/85 and 81/85 were seen with earlier versions), every miss left alone. A character of which only the lead byte survived and that the model cannot tell (以/也/要
    # at a heading's start) is a lacuna, which counts as restored.
    assert report("one-byte shift after an outline numeral", outcomes) >= 0.9


def test_ordinary_numbered_paragraphs_are_left_alone():
    model = CorpusModel.from_paragraphs(CORPUS)
    text = "\n".join(["3名同志分别参加招商引资工作。", "12个镇全面完成年度目标任务。", "2人获得省级表彰。",
                      "5项工作在省市组织工作会议上交流。", "10家企业建立了党组织。"]) + "\n"
    assert shift_edits(text, model) == []
