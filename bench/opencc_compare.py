"""Compare whichever `opencc` module is installed on OpenCC's own test cases and on speed.

Both `OpenCC` (official, C++ wheel) and `opencc-python-reimplemented` install a module named
`opencc`, so run this once in an environment holding each:  python bench/opencc_compare.py
The cases in opencc_cases.json are copied from OpenCC's test/testcases/testcases.json (t2s, hk2s, tw2s).
"""
import json
import pathlib
import sys
import time

import opencc

HERE = pathlib.Path(__file__).parent


def converter(config):
    try:
        return opencc.OpenCC(config)
    except Exception:  # the reimplementation wants no ".json" either way; keep the message honest
        return opencc.OpenCC(config + ".json")


def main():
    cases = json.loads((HERE / "opencc_cases.json").read_text(encoding="utf-8"))
    passed = 0
    for case in cases:
        got = converter(case["config"]).convert(case["input"])
        ok = got == case["expected"]
        passed += ok
        if not ok:
            print(f"FAIL {case['config']}: {case['input']} -> {got} (expected {case['expected']})")
    sample = "".join(c["input"] for c in cases if c["config"] == "t2s") * 200
    t2s = converter("t2s")
    start = time.perf_counter()
    for _ in range(5):
        t2s.convert(sample)
    seconds = (time.perf_counter() - start) / 5
    chars_per_s = len(sample) / seconds
    print(f"module: {opencc.__file__}")
    print(f"cases passed: {passed}/{len(cases)}")
    print(f"t2s speed: {chars_per_s / 1e6:.3f} M chars/s ({len(sample)} chars in {seconds * 1000:.1f} ms)")


if __name__ == "__main__":
    sys.exit(main())
