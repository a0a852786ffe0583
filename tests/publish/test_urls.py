"""Stable URLs: the committed URL lock, and redirects for URLs that move."""
from __future__ import annotations

import re

from build_tools.build import build
from build_tools.publish import urls
from tests.conftest import SEEDS

DOC = "documents/000-df4a7801ed8c6299/"


def test_committed_lock_covers_every_url_of_the_build(site):
    project, _ = site  # a project copy with the hand-written pages
    report = build(SEEDS, project / "docs", progress=False, url_lock=urls.LOCK_FILE)
    assert report.ok, [str(e) for e in report.errors]
    locked = urls.load_lock()
    # A source added since the last `python -m build_tools lock` is not protected yet, nor the index pages it
    # brings; every document whose page is locked has all its URLs (anchors, data files) locked.
    new_ids = {url.split("/")[1] for url in report.urls if re.fullmatch(r"documents/[^/#]+/", url) and url not in locked}
    unlocked = {url for url in report.urls - locked if not any(doc_id in url for doc_id in new_ids)
                and (not new_ids or url.startswith(("documents/", "data/")))}
    assert not unlocked, sorted(unlocked)[:5]
    assert {f"{DOC}", f"{DOC}#p1", "documents/001-b16a05757ca6571f/#2创新能力得到进一步提升", "topics/talent/",
            "cities/qinhuangdao/", "./"} <= locked


def test_a_locked_url_that_disappears_fails_the_build(tmp_path):
    lock = tmp_path / "url-lock.txt"
    lock.write_text(f"{DOC}#gone\n", encoding="utf-8")
    docs = tmp_path / "docs"
    report = build(SEEDS, docs, progress=False, url_lock=lock)
    assert not report.ok and not docs.exists()
    assert [str(e) for e in report.errors] == [
        f"{lock}: published URL '{DOC}#gone' disappeared: restore it or add a redirect to redirects.yml"]


def test_redirects_keep_old_pages_and_anchors_working(tmp_path, monkeypatch):
    lock, redirects = tmp_path / "url-lock.txt", tmp_path / "redirects.yml"
    lock.write_text(f"{DOC}#gone\ndocuments/old-id/\n", encoding="utf-8")
    redirects.write_text(f"redirects:\n  '{DOC}#gone': '{DOC}#p2'\n  'documents/old-id/': '{DOC}'\n", encoding="utf-8")
    monkeypatch.setattr(urls, "REDIRECTS_FILE", redirects)
    docs = tmp_path / "docs"
    report = build(SEEDS, docs, progress=False, url_lock=lock)
    assert report.ok, [str(e) for e in report.errors]
    page = (docs / "documents" / "000-df4a7801ed8c6299.md").read_text(encoding="utf-8")
    alias = page.index('<span id="gone"></span>')
    assert alias < page.index("{: #p2 }") and page.index("{: #p1 }") < alias
    redirect_page = (docs / "documents" / "old-id" / "index.html").read_text(encoding="utf-8")
    assert f'url=../../{DOC}"' in redirect_page and 'rel="canonical"' in redirect_page


def test_a_redirect_to_a_missing_target_fails(tmp_path, monkeypatch):
    lock, redirects = tmp_path / "url-lock.txt", tmp_path / "redirects.yml"
    lock.write_text("documents/old-id/\n", encoding="utf-8")
    redirects.write_text("redirects:\n  'documents/old-id/': 'documents/nowhere/'\n", encoding="utf-8")
    monkeypatch.setattr(urls, "REDIRECTS_FILE", redirects)
    report = build(SEEDS, tmp_path / "docs", progress=False, url_lock=lock)
    assert [e.problem for e in report.errors] == [
        "redirect 'documents/old-id/' -> 'documents/nowhere/': target does not exist"]


def test_a_redirect_to_a_missing_target_fails_without_a_lock_too(tmp_path, monkeypatch):
    redirects = tmp_path / "redirects.yml"
    redirects.write_text("redirects:\n  'documents/old-id/': 'documents/nowhere/'\n", encoding="utf-8")
    monkeypatch.setattr(urls, "REDIRECTS_FILE", redirects)
    report = build(SEEDS, tmp_path / "docs", progress=False, url_lock=None)
    assert [str(e) for e in report.errors] == [
        f"{redirects}: redirect 'documents/old-id/' -> 'documents/nowhere/': target does not exist"]


def test_every_locked_url_is_served(site):
    """Pages, anchors, and the data files (raw and cleaned texts, edit logs, citation files, exports)."""
    _, out = site
    missing = []
    for url in sorted(urls.load_lock()):
        page, _, anchor = url.partition("#")
        path = out / page / "index.html" if page.endswith("/") else out / page
        if not path.is_file() or anchor and f'id="{anchor}"' not in path.read_text(encoding="utf-8"):
            missing.append(url)
    assert missing == [], missing[:5]
