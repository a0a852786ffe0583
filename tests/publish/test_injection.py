"""Nothing from a source runs: an injection corpus (tags, scripts, event handlers, Markdown syntax, entities,
a snippet line, hostile sidecar fields) is built into the site with the real seeds, published online and
offline, and opened in Chromium. No dialog opens, no request leaves the site, and the reader sees the
characters of the source."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading

import pytest

from tests.conftest import ROOT, SEEDS, publish_project, unzip_bundle
from tests.publish.test_browser import (  # noqa: F401
    QuietHandler,
    assert_nothing_left_the_site,
    browser,
)

FIXTURES = ROOT / "tests" / "fixtures" / "injection"
# Besides every paragraph of its cleaned text, what the reader must see of each injected document.
BODY_SHOWS = ["&gt", "&amp", "---", "1. 列表不是列表", "<script>alert(1)</script>干部教育培训", "{: #p25 }",
              '--8<-- "docs/about.md"', "<!-- 注释也是原文 -->", "=====", "`反引号` [链接](javascript:alert(3)"]
SIDECAR_SHOWS = ['<script>alert("T")</script>《标题》&amp;', "中共某市委组织部<b onmouseover=alert(6)>",
                 '"><img src=x onerror=alert(7)>', "</td><script>alert(8)</script>", '"><svg onload=alert(10)>',
                 "https://example.org/a?x=1&y=%22%3E%3Cscript%3E", "<svg onload=alert(9)>"]


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    seeds = tmp_path_factory.mktemp("injection-seeds")
    for path in [*SEEDS.iterdir(), *FIXTURES.iterdir()]:
        (shutil.copytree if path.is_dir() else shutil.copy)(path, seeds / path.name)
    project, site_dir, dist = publish_project(tmp_path_factory.mktemp("injection-project"), seeds)
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    offline = unzip_bundle(dist, tmp_path_factory.mktemp("injection-bundle"))["zip"]
    yield {"online": f"http://127.0.0.1:{server.server_address[1]}/documents/{{}}/",
           "offline": offline.as_uri() + "/documents/{}.html", "clean": project / "docs" / "data" / "clean"}
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("edition", ["online", "offline"])
@pytest.mark.parametrize("doc, shows, title", [
    ("inj-body", BODY_SHOWS, "<img src=x onerror=alert(2)>"),
    ("inj-sidecar", SIDECAR_SHOWS, '<script>alert("T")</script>《标题》&amp;'),
])
def test_injected_source_shows_its_characters_and_runs_nothing(browser, injected, edition, doc, shows, title):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.requests, dialogs, errors = [], [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(injected[edition].format(doc))
    page.wait_for_timeout(500)
    text = page.locator("article").inner_text()
    cleaned = (injected["clean"] / f"{doc}.txt").read_text(encoding="utf-8").split("\n\n")[1:]
    missing = [s for s in [*shows, *(p.strip() for p in cleaned)] if s not in text]
    assert not missing, missing
    assert page.locator("article h1").inner_text().rstrip("¶") == title
    assert page.title().startswith(title)
    assert page.locator(".md-header__topic").last.inner_text().strip() == title
    assert page.locator("article script, article img, article svg[onload], article [onclick]").count() == 0
    assert dialogs == [] and errors == []
    assert_nothing_left_the_site(page)
    context.close()
