"""The GitHub Actions workflow (.github/workflows/pages.yml) cannot run here; its shape is checked instead:
tests on pull requests with no deployment, least privilege per job, `make test` and `make site` as the
steps, and the offline bundle attached to a release on pushes to main."""
from __future__ import annotations

import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def load() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_triggers_and_top_permissions():
    flow = load()
    assert set(flow["on"]) == {"push", "pull_request", "workflow_dispatch"}
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "read"}


def test_build_runs_make_test_and_make_site_on_every_event():
    build = load()["jobs"]["build"]
    assert "if" not in build
    runs = [step.get("run", "") for step in build["steps"]]
    assert any(r.strip() == "make test" for r in runs)
    assert any(r.strip().endswith("make site") for r in runs)
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    uploads = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert uploads and all(s["if"] == "github.event_name != 'pull_request'" for s in uploads)


def test_only_deploy_writes_to_pages_and_never_on_pull_requests():
    jobs = load()["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["if"] == "github.event_name != 'pull_request'"
    for name, job in jobs.items():
        if name != "deploy":
            assert "id-token" not in job.get("permissions", {}) and job.get("permissions", {}).get("pages") != "write"


def test_bundle_goes_to_a_release_on_pushes_to_main():
    release = load()["jobs"]["release"]
    assert release["permissions"] == {"contents": "write"}
    assert "github.event_name == 'push'" in release["if"] and "refs/heads/main" in release["if"]
    script = "\n".join(step.get("run", "") for step in release["steps"])
    assert "gh release create" in script and "zuzhi-archive-offline.zip" in script
    assert "zuzhi-archive-offline-bag.zip" in script and "GITHUB_SHA" in script
    assert release["steps"][-1]["env"]["GH_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
