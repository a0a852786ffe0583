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
from urllib.parse import quote, unquote, urljoin, urlsplit

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

# (typed query, what the top passage holds and is highlighted, a seed passage that must be among the results)
QUERIES = [
    ("干部教育培训", ["干部教育培训"], "documents/004-c74ad4d4a80dbc28/"),
    ("效能革命", ["效能革命"], "documents/004-c74ad4d4a80dbc28/#p11"),
    ("能革", ["能革"], "documents/004-c74ad4d4a80dbc28/#p11"),  # crosses a word boundary (效能|革命)
    ("經區大講堂", ["经区大讲堂"], "documents/003-531a5443262867f5/#p17"),  # traditional, converted by phrase
    ("干部 培训", ["干部", "培训"], "documents/000-df4a7801ed8c6299/"),  # two words, both required
    ("wto", ["wto"], "documents/004-c74ad4d4a80dbc28/#p14"),  # a Latin word, any case
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


def results(page, edition, query: str):
    """Open the results page for `query` (as a link or bookmark would) and wait for it to finish."""
    name, home, _ = edition
    page.goto(home.replace("index.html", "") + ("search.html" if name == "offline" else "search/") + "?q=" + quote(query))
    page.wait_for_selector("[data-archive-search-results][data-state=done], [data-archive-search-results][data-state=none]")
    return page.get_attribute("[data-archive-search-results]", "data-state")


@pytest.mark.parametrize("query,phrases,seed_hit", QUERIES)
def test_search_finds_the_passage_and_lands_on_its_anchor(edition, page, query, phrases, seed_hit):
    name = edition[0]
    assert results(page, edition, query) == "done"
    hrefs = [a.get_attribute("href") for a in page.locator(".archive-search__result a").all()]
    page_path, _, anchor = seed_hit.partition("#")
    page_path = page_path if name == "online" else page_path.rstrip("/") + ".html"
    assert any(page_path in h and (not anchor or h.endswith("#" + anchor)) for h in hrefs), (seed_hit, hrefs[:5])
    first = page.locator(".archive-search__result").first
    passage = first.locator(".archive-search__passage").inner_text()
    assert all(p.lower() in passage.lower() for p in phrases)
    assert "\u200b" not in passage and "\n" not in passage
    assert {m.lower() for m in first.locator(".archive-search__passage mark").all_inner_texts()} >= set(phrases)
    assert "索引页" not in first.inner_text()  # document text before index pages
    if query == QUERIES[0][0]:
        page.screenshot(path=str(SCREENSHOTS / f"{name}-search-{query}.png"))
    href = first.locator("a").get_attribute("href")
    fragment = unquote(urlsplit(href).fragment)
    first.locator("a").click()
    page.wait_for_selector("html[data-archive-search-landed]")
    assert "/documents/" in page.url
    hits = page.locator("mark.archive-search-hit")
    assert {m.lower() for m in hits.all_inner_texts()} >= set(phrases)
    if fragment:  # the landing anchor holds the phrase, highlighted and in view
        target = page.locator(f"[id='{fragment}']")
        assert all(p.lower() in target.inner_text().lower() for p in phrases)
        assert target.locator("mark.archive-search-hit").count() >= 1
    box = hits.first.bounding_box()
    assert box and 0 <= box["y"] <= 900 - box["height"]
    assert_nothing_left_the_site(page)


def test_a_query_with_no_result_says_so(edition, page):
    assert results(page, edition, "量子纠缠") == "none"
    status = page.inner_text(".archive-search__status")
    assert "没有找到" in status and "量子纠缠" in status
    assert page.locator(".archive-search__result").count() == 0
    assert_nothing_left_the_site(page)


def test_the_header_box_opens_the_results_page(edition, page):
    name, _, doc_url = edition
    page.goto(doc_url)
    box = page.locator("[data-archive-search] input[name=q]")
    if not box.is_visible():
        page.locator("label.md-header__button[for=__search]").click()
    box.fill("組織")
    box.press("Enter")
    page.wait_for_selector("[data-archive-search-results][data-state=done]")
    assert ("search.html?q=" if name == "offline" else "/search/?q=") in page.url
    assert "组织" in page.locator(".archive-search__passage").first.inner_text()
    assert "按简体" in page.inner_text(".archive-search__status")
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
