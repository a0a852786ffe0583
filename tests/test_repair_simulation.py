"""Ground truth by simulation: clean text written for these tests is damaged the way the sites damaged
the seeds, byte by byte, and the repair must restore it exactly (a truly lost byte may only become a
lacuna). Hypothesis generates the cases; each test reports its exact-restoration rate, also written to
build/test-artifacts/repair-simulation.json."""
from __future__ import annotations

import json
import re

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from build_tools.repair import repair
from build_tools.shift import CorpusModel, shift_edits
from build_tools.edits import apply_edits
from tests.conftest import ROOT

CLEAN = ("县委组织部认真总结干部教育培训经验，围绕发展抓党建，选派优秀年轻干部到基层挂职锻炼。"
         "全县共举办各类培训班12期，培训党员干部3000余人次，群众满意率达到95%，明显提高。"
         "今后要进一步加强人才工作，完善考核评价机制，营造尊重知识、尊重人才的良好氛围。"
         "听取了当地组织部门的情况介绍，考察了党员电化教育中心和社区党员服务站。")
TRADITIONAL = opencc.OpenCC("s2t.json").convert(CLEAN)
HAN_CHARS = sorted({c for c in TRADITIONAL if "\u4e00" <= c <= "\u9fff"})


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


STRADDLING = _straddling(TRADITIONAL)
# Outline headings and a small corpus of ordinary paragraphs, written for these tests.
HEADINGS = ["以健全制度为保障，推进干部人事制度改革", "要在服务群众上下功夫", "创新能力得到进一步提升",
            "以加强基层组织建设为重点，夯实执政基础", "坚持把人才工作放在突出位置", "深入开展党员教育培训工作",
            "进一步完善干部考核评价机制", "组织部门自身建设得到加强"]
CORPUS = [CLEAN, "各级党组织要以改革创新精神加强自身建设，进一步提升服务群众的能力和水平。",
          "我们坚持以制度建设为保障，以人才工作为重点，推进组织工作创新发展。",
          "全县基层党组织建设取得新进展，党员队伍素质得到进一步提高。"]
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


def test_simulated_reading_insertion_on_bytes_is_restored():
    outcomes, straddled = [], []

    @settings(max_examples=300, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(HAN_CHARS), max_size=12, unique=True),
           st.lists(st.sampled_from(STRADDLING), max_size=2, unique=True))
    def case(chars, straddling):
        chars = chars + [c for c in straddling if c not in chars]
        damaged = annotate_bytes(TRADITIONAL, chars)
        ok = restored(repair(damaged).text, narrow(TRADITIONAL))
        outcomes.append(ok)
        if re.search(r"\?[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", damaged):
            straddled.append(ok)

    case()
    rate = report("reading insertion on GBK bytes (all cases)", outcomes)
    straddle_rate = report("reading insertion on GBK bytes (cases with straddle damage)", straddled)
    assert len(straddled) >= 50  # the generator does produce the byte-level mechanism
    # Measured (derandomized): 196/300 overall, 131/235 with straddle damage; every case without it. The misses
    # are runs that meet another insertion, a pair starting with 0x80 (a "?" that keeps the stream out of
    # step), or a narrowed full-width letter before they realign (README, known gaps).
    assert rate >= 0.6 and straddle_rate >= 0.5


def test_simulated_one_byte_shift_is_restored():
    model = CorpusModel.from_paragraphs(CORPUS)
    outcomes = []

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
        got = apply_edits(text, shift_edits(text, model))
        outcomes.append(got == f"上半年工作回顾。\n{number}．{heading}\n")

    case()
    assert len(outcomes) >= 50
    # Measured 72%: the misses are one-character runs at a heading's start (以/要 read as 也), where
    # a bigram of a few test paragraphs cannot tell them apart; 001's own corpus gets all 14 right.
    assert report("one-byte shift after an outline numeral", outcomes) >= 0.65


def test_ordinary_numbered_paragraphs_are_left_alone():
    model = CorpusModel.from_paragraphs(CORPUS)
    text = "\n".join(["3名同志分别参加招商引资工作。", "12个镇全面完成年度目标任务。", "2人获得省级表彰。",
                      "5项工作在省市组织工作会议上交流。", "10家企业建立了党组织。"]) + "\n"
    assert shift_edits(text, model) == []
