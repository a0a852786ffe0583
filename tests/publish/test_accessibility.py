"""Issue 17, accessibility: no serious or critical axe-core violation on the home page, a document page, an
index page and the search results page, online (127.0.0.1) and offline (file://), on a desktop and on a
phone-width screen, with every <details> closed and open. axe-core is vendored from npm (package.json) and
injected here only: it is never part of the site. Emendation marks are reached by the keyboard and by a tap,
and show their original reading then."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import ROOT
from tests.publish.test_browser import DOC, SCREENSHOTS, browser, edition, served  # noqa: F401

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PAGES = ["home", "document", "index", "search"]
RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({id: v.id, impact: v.impact,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
}"""


def url_of(edition, which: str) -> str:
    name, home, doc_url = edition
    root = home.replace("index.html", "")
    offline = name == "offline"
    return {"home": home, "document": doc_url,
            "index": root + ("cities/index.html" if offline else "cities/"),
            "search": root + ("search.html" if offline else "search/") + "?q=" + quote("干部")}[which]


@pytest.fixture(params=list(VIEWPORTS))
def axe_page(request, browser):
    """A page whose context ignores the site's Content-Security-Policy, so that the test can inject axe."""
    assert AXE.is_file(), f"{AXE} is missing: `npm ci` installs axe-core (package.json)"
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


def audit(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("which", PAGES)
def test_no_serious_axe_violation(edition, axe_page, which):
    page = axe_page
    page.goto(url_of(edition, which))
    if which == "search":
        page.wait_for_selector("[data-archive-search-results][data-state=done]")
    else:
        page.wait_for_load_state("load")
    found = audit(page)
    assert found == [], found
    # Folded content (the metadata table on a phone, the routine rows of the 校勘记) is audited open too.
    opened = page.evaluate("() => { const d = [...document.querySelectorAll('details:not([open])')];"
                           " d.forEach(x => x.open = true); return d.length; }")
    if opened:
        found = audit(page)
        assert found == [], found
    if which == "document" and page.viewport_name == "phone":
        assert opened >= 2  # the metadata table (folded on a phone) and the routine 校勘记 rows


def test_metadata_table_folds_on_a_phone_only(edition, axe_page):
    page = axe_page
    page.goto(url_of(edition, "document"))
    page.wait_for_load_state("load")
    summary = page.locator("details.metadata > summary")
    table = page.locator("details.metadata table")
    if page.viewport_name == "phone":
        assert not page.locator("details.metadata").evaluate("d => d.open")
        assert not table.is_visible()
        assert "考察报告" in summary.inner_text()  # the summary still names the genre (and place, date)
        summary.click()
        assert table.is_visible()
    else:
        assert table.is_visible() and "体裁" in table.inner_text()


def test_emendations_show_their_original_on_focus_and_tap(edition, axe_page):
    page = axe_page
    page.goto(url_of(edition, "document"))
    page.wait_for_load_state("load")
    marks = page.locator("article .emendation[title]")
    assert marks.count() >= 5
    assert all(m.get_attribute("tabindex") == "0" and m.get_attribute("role") == "note" for m in marks.all()[:5])
    first = marks.first

    def shown(mark) -> str:
        return mark.evaluate("m => getComputedStyle(m, '::after').content")

    assert shown(first) in ("none", "normal", "")
    # Keyboard: Tab from the 显示原文 button above the text reaches the first mark; its original shows.
    page.locator(".emendation-toggle").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.emendation[title]')"):
            break
    assert first.evaluate("m => m === document.activeElement")
    assert "原文" in shown(first) and first.get_attribute("data-original") in shown(first).replace("\\", "")
    name = edition[0]
    first.screenshot(path=str(SCREENSHOTS / f"{name}-{page.viewport_name}-emendation-focus.png"))
    page.keyboard.press("Escape")
    assert shown(first) in ("none", "normal", "")
    # A tap (click) opens it, a tap elsewhere closes it.
    second = marks.nth(1)
    second.scroll_into_view_if_needed()
    second.click()
    assert "原文" in shown(second)
    page.locator("article h1").click()
    assert shown(second) in ("none", "normal", "")


def test_scrolling_apparatus_tables_are_reachable_by_keyboard(edition, axe_page):
    page = axe_page
    page.goto(url_of(edition, "document"))
    page.wait_for_load_state("load")
    regions = page.locator(".apparatus-scroll")
    assert regions.count() >= 1
    for region in regions.all():
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
        assert region.get_attribute("aria-label")


def test_axe_is_not_shipped(site, bundle):
    _, out = site
    for root in (out, bundle["zip"]):
        assert not [p for p in root.rglob("*") if "axe" in p.name.lower()]
