"""Issue 17: a build with no SITE_URL says that its canonical URLs and citations name the local preview
address (in `python -m build_tools site` and in the offline bundle's README.txt); `make serve`'s live preview
gets a policy that lets the live-reload script run, and only it does."""
from __future__ import annotations

import subprocess

from build_tools.publish import mkdocs_hooks
from build_tools.publish.bundle import LOCAL_URL, local_url_notice
from tests.conftest import ROOT


def test_notice_without_site_url(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    notice = local_url_notice(LOCAL_URL)
    assert "SITE_URL" in notice and LOCAL_URL in notice and "引用" in notice
    monkeypatch.setenv("SITE_URL", "https://archive.example.org/")
    assert local_url_notice("https://archive.example.org/") == ""
    monkeypatch.setenv("SITE_URL", "http://localhost:8000/")
    assert "localhost" in local_url_notice("http://localhost:8000/")


def test_bundle_readme_says_so(bundle):
    readme = (bundle["zip"] / "README.txt").read_text(encoding="utf-8")
    assert "未设置 SITE_URL" in readme and f"Online edition: {LOCAL_URL}" in readme


def test_make_serve_target_exists():
    out = subprocess.run(["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True)
    assert "mkdocs serve" in out.stdout, out.stderr


def test_serve_policy_allows_inline_scripts_only_when_serving(monkeypatch):
    page = '<html><head><meta charset="utf-8"></head><body><script>x()</script></body></html>'
    monkeypatch.setitem(mkdocs_hooks._command, "name", "build")
    built = mkdocs_hooks.with_csp(page, "t")
    assert "'unsafe-inline'; style-src" not in built and "'sha256-" in built
    monkeypatch.setitem(mkdocs_hooks._command, "name", "serve")
    served = mkdocs_hooks.with_csp(page, "t")
    assert "script-src 'self' 'unsafe-inline';" in served and "object-src 'none'" in served
