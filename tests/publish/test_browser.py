"""The site in a real browser: Debian's chromium driven by Playwright, against the online build served on
127.0.0.1 and against the unzipped offline bundle opened from file://.

`make test` installs chromium when it is missing; these tests are never skipped. Screenshots of a search
and of a document page are saved to build/test-artifacts/screenshots/.
"""
from __future__ import annotations

import functools
import http.server
import threading
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.conftest import ARTIFACTS

CHROMIUM = Path("/usr/bin/chromium")
# As the machine's own probe starts it: no sandbox (root), and no background networking, which this
# machine's closed network refuses and which would count as requests leaving the site.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-domain-reliability"]
SCREENSHOTS = ARTIFACTS / "screenshots"
DOC = "004-c74ad4d4a80dbc28"

# (typed query, the simplified text the page must contain at the anchor the result leads to)
QUERIES = [
    ("干部教育培训", "干部教育培训"),
    ("效能革命", "效能革命"),
    ("经区大讲堂", "经区大讲堂"),
    ("組織", "组织"),
    ("經區大講堂", "经区大讲堂"),
]
LOCAL_SCHEMES = {"file", "data", "blob", "about"}


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: `make test` installs Debian's chromium package"
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def served(site):
    """The online build on 127.0.0.1 (an ephemeral port), as a static host serves it."""
    _, out = site
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(params=["online", "offline"])
def edition(request, served, bundle):
    """(name, URL of the home page, URL of DOC's page)."""
    if request.param == "online":
        return "online", served, f"{served}documents/{DOC}/"
    root = bundle["zip"].as_uri()
    return "offline", f"{root}/index.html", f"{root}/documents/{DOC}.html"


@pytest.fixture
def page(browser):
    """A fresh page that records every request it makes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def assert_nothing_left_the_site(page):
    outside = [url for url in page.requests
               if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname != "127.0.0.1"]
    assert page.requests and outside == []


def search(page, query: str):
    box = page.locator("input[data-md-component=search-query]")
    box.click()
    box.fill(query)
    box.press("End")  # Material reads the query on keyup
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    return box


def result_for(page, text: str):
    """The first search result that leads to an anchor of a document page and whose excerpt contains
    `text`; results load in batches as the list scrolls."""
    for _ in range(10):
        for link in page.locator("a.md-search-result__link").all():
            href = link.get_attribute("href") or ""
            if "/documents/" in href and "#" in href and text in link.inner_text().replace("\u200b", ""):
                return link
        page.locator(".md-search__scrollwrap").evaluate("el => el.scrollTo(0, el.scrollHeight)")
        page.wait_for_timeout(300)
    return None


@pytest.mark.parametrize("query,expected", QUERIES)
def test_search_finds_the_passage_and_lands_on_its_anchor(edition, page, query, expected):
    name, home, _ = edition
    page.goto(home)
    box = search(page, query)
    assert box.input_value() == expected  # a traditional query was converted before the search ran
    link = result_for(page, expected)
    assert link is not None, f"no document passage with {expected} among the results for {query}"
    if query == QUERIES[0][0]:
        page.screenshot(path=str(SCREENSHOTS / f"{name}-search-{query}.png"))
    if not link.is_visible():  # further matches of one page are folded under a <details>
        link.locator("xpath=ancestor::details[1]/summary").click()
    href = link.get_attribute("href")
    fragment = unquote(urlsplit(href).fragment)
    link.click()
    page.wait_for_url(lambda url: unquote(urlsplit(url).fragment) == fragment)
    assert "/documents/" in page.url
    # The anchor exists, is scrolled into view, and its section holds the passage.
    section = page.evaluate("""id => {
        const start = document.getElementById(id);
        if (!start) return null;
        const box = start.getBoundingClientRect();
        let text = start.textContent, node = start.nextElementSibling;
        while (node && !/^H[1-6]$/.test(node.tagName)) { text += node.textContent; node = node.nextElementSibling; }
        return {text, top: box.top, inView: box.bottom > 0 && box.top < window.innerHeight};
    }""", fragment)
    assert section is not None, f"no element with id {fragment!r} on {page.url}"
    assert section["inView"], section["top"]
    assert expected in section["text"]
    assert_nothing_left_the_site(page)


def test_document_page_shows_metadata_provenance_and_citation(edition, page):
    name, _, doc_url = edition
    page.goto(doc_url)
    panel = page.locator("#来源与校验")
    citation = page.locator("#引用")
    assert panel.is_visible() and citation.is_visible()
    assert "SHA-256" in page.locator("xpath=//h2[@id='来源与校验']/following-sibling::*[1]").inner_text()
    # The access date is today's, filled in by the reader's browser; the URL is the stable one.
    assert page.locator("#cite-gbt7714").inner_text().startswith(
        f"中共秦皇岛市委组织部. 浙江三市学习考察报告[R/OL]. [秦皇岛市]: 中共秦皇岛市委组织部, [2003][{date.today().isoformat()}]. "
        f"http://127.0.0.1:8000/documents/{DOC}/（整理本第 1 版（")
    assert page.locator("#cite-chicago").is_visible()
    metadata = page.locator("article table").first
    assert metadata.is_visible() and "秦皇岛" in metadata.inner_text()
    # The raw text and the citation files open from this page.
    for label in ("下载原始文本（一字未改）", "BibTeX"):
        target = page.locator(f"a:has-text('{label}')").get_attribute("href")
        response = page.request.get(urljoin(page.url, target)) if name == "online" else None
        if response is not None:
            assert response.ok, target
        else:
            assert Path(unquote(urlsplit(urljoin(page.url, target)).path)).is_file(), target
    citation.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}-document.png"), full_page=False)
    assert_nothing_left_the_site(page)


def test_emendations_show_their_original_on_hover_and_toggle(edition, page):
    _, _, doc_url = edition
    page.goto(doc_url)
    straddle = page.locator(".emendation[title*='字节错位复原']").first
    assert straddle.is_visible() and straddle.inner_text() == "地组"
    assert straddle.get_attribute("title").startswith("原文：?shù)亟M（")
    deletion = page.locator(".emendation-deletion").first
    assert deletion.inner_text() == ""
    toggle = page.locator("button.emendation-toggle")
    toggle.click()
    assert straddle.inner_text() == "?shù)亟M" and deletion.inner_text().startswith("(")
    assert "showing-original" in straddle.get_attribute("class")
    toggle.click()
    assert straddle.inner_text() == "地组" and deletion.inner_text() == ""
    assert_nothing_left_the_site(page)


@pytest.fixture(scope="module", autouse=True)
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
