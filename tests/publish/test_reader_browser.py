"""Issue 17 in a real browser (Debian's chromium, online on 127.0.0.1 and offline from file://): paragraph
numbers and permalinks, copy link / copy citation of a paragraph."""
from __future__ import annotations

from datetime import date

from tests.publish.test_browser import (  # noqa: F401
    DOC,
    SCREENSHOTS,
    assert_nothing_left_the_site,
    browser,
    edition,
    page,
    served,
)

STABLE = f"http://127.0.0.1:8000/documents/{DOC}/"
RECORD_COPIES = """() => {
    window.__copied = [];
    if (navigator.clipboard) navigator.clipboard.writeText = t => { window.__copied.push(t); return Promise.resolve(); };
    document.execCommand = c => { if (c === 'copy') window.__copied.push(document.activeElement.value); return true; };
}"""


def test_every_paragraph_shows_its_number_as_a_permalink(edition, page):
    _, _, doc_url = edition
    page.goto(doc_url)
    paragraphs = page.locator("article p[id^=p]")
    count = paragraphs.count()
    assert count >= 19
    numbers = page.locator("article p.para > .para-tools > a.para-num")
    assert numbers.count() == count
    twelve = page.locator("#p12 .para-num")
    assert twelve.is_visible() and twelve.inner_text() == "12" and twelve.get_attribute("href") == "#p12"
    twelve.click()
    assert page.url.endswith("#p12")
    assert page.locator("#p12 .para-copy-link").is_visible()  # the target paragraph shows its tools
    assert_nothing_left_the_site(page)


def test_copy_link_and_citation_of_a_paragraph(edition, page):
    name, _, doc_url = edition
    page.goto(doc_url + "#p12")
    page.evaluate(RECORD_COPIES)
    page.locator("#p12 .para-copy-link").click()
    page.locator("#p12 .para-copy-cite").click()
    page.wait_for_function("window.__copied.length === 2")
    link, citation = page.evaluate("window.__copied")
    assert link == STABLE + "#p12"  # the stable online URL, from the offline copy too
    assert citation.startswith("中共秦皇岛市委组织部. 浙江三市学习考察报告[R/OL].")
    assert f"[{date.today().isoformat()}]" in citation and f"{STABLE}#p12" in citation and "第 12 段" in citation
    page.screenshot(path=str(SCREENSHOTS / f"{name}-paragraph-tools.png"))
    assert_nothing_left_the_site(page)


def test_chinese_typography(edition, page):
    """lang zh-Hans, a CJK-first font stack with no web font, tables at 14 px or more."""
    _, _, doc_url = edition
    page.goto(doc_url)
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    family = page.evaluate("getComputedStyle(document.querySelector('article p')).fontFamily")
    assert family.split(",")[0].strip().strip('"') == "PingFang SC"
    sizes = page.evaluate("[...document.querySelectorAll('article table td')].slice(0, 40)"
                          ".map(td => parseFloat(getComputedStyle(td).fontSize))")
    assert sizes and min(sizes) >= 14
    assert_nothing_left_the_site(page)
