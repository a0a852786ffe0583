"""No input makes a traceback: random raw bytes (with and without byte-order marks, in the encodings the
archive reads) and mutated sidecar YAML either build or fail with one line naming the file."""
from __future__ import annotations

import codecs

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.document import build_one
from build_tools.errors import SourceError
from build_tools.sources import Source
from tests.conftest import SEEDS

SIDECAR = (SEEDS / "000_df4a7801ed8c6299.yml").read_text(encoding="utf-8")
YAML_NOISE = ":&*!|>{}[]#-'\"\n\t%@`?,\\ 　组织"
BOMS = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)
RAW = st.one_of(
    st.binary(max_size=400),
    st.tuples(st.sampled_from(BOMS), st.binary(max_size=300)).map(lambda t: t[0] + t[1]),
    st.tuples(st.sampled_from(BOMS), TEXT, st.sampled_from(["utf-8", "gb18030", "big5", "utf-16-le"]))
      .map(lambda t: t[0] + t[1].encode(t[2], errors="replace")),
)


def check(tmp_path, raw: bytes, sidecar: str | None):
    path = tmp_path / "fuzz.txt"
    path.write_bytes(raw)
    side = None
    if sidecar is not None:
        side = tmp_path / "fuzz.yml"
        side.write_text(sidecar, encoding="utf-8", errors="surrogatepass")
    try:
        built = build_one(Source("fuzz", path, side), None, strict=False)
    except SourceError as error:
        assert "\n" not in str(error) and str(error).startswith(str(tmp_path)), str(error)
        return
    assert built.cleaned is not None


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=RAW)
def test_random_raw_bytes_build_or_fail_with_one_line(tmp_path, raw):
    check(tmp_path, raw, None)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, len(SIDECAR)), st.text(alphabet=YAML_NOISE, min_size=1, max_size=6)),
                      max_size=6))
def test_mutated_sidecars_build_or_fail_with_one_line(tmp_path, edits):
    text = SIDECAR
    for position, noise in sorted(edits, reverse=True):
        text = text[:position] + noise + text[position:]
    check(tmp_path, "组织工作文献正文一段。\n".encode("utf-8"), text)
