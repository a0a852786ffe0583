"""Publish: the online site and the offline bundle, both from one `python -m build_tools site`.

- Online: `mkdocs build --strict` (directory URLs, served over http) -> site/.
- Offline: the same with OFFLINE=true (Material's offline plugin: `use_directory_urls: false`, the search
  index inlined as search/search_index.js, the vendored iframe-worker shim for file://), plus a README.txt,
  packaged in dist/ as a zip and as a BagIt bag (RFC 8493, SHA-256 manifest), itself zipped.

Everything is built in staging directories first; site/ and dist/ are replaced only when every step
succeeded, so a failed build leaves the previous ones as they were.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import bagit

from .output import checkpoint, incomplete

NAME = "zuzhi-archive-offline"  # folder name inside both zips
ZIP_NAME = f"{NAME}.zip"
BAG_NAME = f"{NAME}-bag.zip"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed member times: only content (and the build date) vary

README = """组织工作文献档案馆 · 离线版
==========================

用浏览器打开本文件夹中的 index.html 即可阅读，全文检索可用，无需联网。
文献页的“来源与校验”部分链接原始文本（一字未改）、整理本和逐条编辑记录；
“引用”部分给出 GB/T 7714、Chicago 格式及 BibTeX / RIS / CSL-JSON 文件。
引用时请使用在线版的稳定网址（每页 <link rel="canonical"> 与引用格式中给出）。

Offline edition of the archive. Open index.html in a browser; search works from file:// without a
network. Cite the stable online URLs given on each page, not the path of this copy.

Built: {built}
Online edition: {site_url}
Documents: {documents}
{notice}"""

LOCAL_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default site_url: `mkdocs serve`'s address


def local_url_notice(url: str) -> str:
    """What a build without SITE_URL must say: its canonical URLs and citations name the local preview
    address, not a public one. "" for a build with SITE_URL set to a public address."""
    host = url.split("//", 1)[-1].split("/", 1)[0].split(":")[0]
    if os.environ.get("SITE_URL") and host not in ("127.0.0.1", "localhost"):
        return ""
    return (f"注意：本版构建时未设置 SITE_URL，规范网址（canonical）与所有引用格式中的网址都是 {url}"
            f"（本机预览地址），不是公开的稳定网址；请勿据此引用。\n"
            f"Note: built without SITE_URL: the canonical URLs and every citation name {url} (the local preview "
            f"address), not a public one. Set SITE_URL to the deployment's address and build again.\n")



class PublishError(RuntimeError):
    pass


def mkdocs_build(project: Path, out: Path, offline: bool) -> float:
    """`mkdocs build --strict` into `out`; the peak memory (max RSS, MB) of the mkdocs process."""
    env = dict(os.environ, OFFLINE="true" if offline else "false", NO_MKDOCS_2_WARNING="1")
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                                    str(project / "mkdocs.yml"), "--site-dir", str(out)],
                                   cwd=project, env=env, stdout=log, stderr=log)
        try:
            _, status, usage = os.wait4(process.pid, 0)  # wait4: this child's own rusage
        except BaseException:
            process.kill()
            process.wait()
            raise
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            log.seek(0)
            kind = "offline" if offline else "online"
            text = log.read().decode("utf-8", "replace")
            raise PublishError(f"mkdocs build ({kind}) of {project / 'mkdocs.yml'} failed:\n{text[-4000:]}")
    return usage.ru_maxrss / 1024


def write_zip(folder: Path, archive: Path, root: str) -> None:
    """Zip `folder` under the name `root/`, members sorted, with fixed times."""
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(f"{root}/{path.relative_to(folder).as_posix()}", ZIP_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())


def write_bundle(offline_site: Path, dist: Path, site_url: str, built: datetime) -> None:
    """README.txt into the offline site, then dist/<NAME>.zip and dist/<NAME>-bag.zip."""
    documents = len([p for p in (offline_site / "documents").glob("*.html") if p.name != "index.html"])
    (offline_site / "README.txt").write_text(
        README.format(built=built.strftime("%Y-%m-%d"), site_url=site_url, documents=documents,
                      notice="\n" + local_url_notice(site_url) if local_url_notice(site_url) else ""),
        encoding="utf-8")
    dist.mkdir(parents=True, exist_ok=True)
    write_zip(offline_site, dist / ZIP_NAME, NAME)
    bag_dir = dist / f"{NAME}-bag"
    shutil.copytree(offline_site, bag_dir)
    bagit.make_bag(str(bag_dir), {
        "Source-Organization": "组织工作文献档案馆",
        "External-Description": "Offline HTML edition of the archive (open data/index.html); "
                                "raw sources, cleaned texts and edit logs under data/data/.",
        "External-Identifier": site_url,
        "Bagging-Date": built.strftime("%Y-%m-%d"),
    }, checksums=["sha256"])
    # bagit-python writes BagIt-Version 0.97; the bag is also a valid RFC 8493 (1.0) bag, so say so and
    # let bagit recompute the tag manifest that covers bagit.txt.
    (bag_dir / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8")
    bagit.Bag(str(bag_dir)).save()
    write_zip(bag_dir, dist / BAG_NAME, f"{NAME}-bag")
    shutil.rmtree(bag_dir)


def site_url(project: Path) -> str:
    from mkdocs.config import load_config
    return load_config(str(project / "mkdocs.yml")).site_url or ""


def publish(project: Path, site_dir: Path, dist_dir: Path, built: datetime | None = None,
            timings: dict | None = None) -> None:
    """Build the online site and the offline bundle into a new release folder (build/releases/…), then switch
    to it with one atomic rename of the symlink build/current; site/ and dist/ are symlinks into it, so a
    reader of either sees the previous release or the new one, never a mix, at any instant of a kill.
    docs/ must hold one whole build (its completion marker, publish/output.py). `timings` (the bench) receives
    {step: seconds} and {"<step> MB": peak memory of its mkdocs process}."""
    problem = incomplete(project / "docs")
    if problem:
        raise PublishError(problem)
    built = built or datetime.now(timezone.utc)
    builds = project / "build"
    release = builds / "releases" / f"r{time.time_ns()}"
    offline = builds / f"offline-{release.name}"
    timings = {} if timings is None else timings
    try:
        with _timed(timings, "mkdocs online"):
            timings["mkdocs online MB"] = mkdocs_build(project, release / "site", offline=False)
        with _timed(timings, "mkdocs offline"):
            timings["mkdocs offline MB"] = mkdocs_build(project, offline, offline=True)
        with _timed(timings, "bundle"):
            write_bundle(offline, release / "dist", site_url(project), built)
    except Exception:
        shutil.rmtree(release, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(offline, ignore_errors=True)
    checkpoint()
    with _timed(timings, "switch"):
        switch(builds / "current", release, {site_dir: "site", dist_dir: "dist"})


@contextmanager
def _timed(timings: dict, step: str):
    start = time.perf_counter()
    yield
    timings[step] = time.perf_counter() - start


def switch(current: Path, release: Path, links: dict[Path, str]) -> None:
    """Point `current` at `release` by renaming a new symlink over it (atomic), make each path in `links` a
    symlink to current/<name> (once: a real folder left by an earlier layout is moved aside first), and
    delete the releases no longer current."""
    new = current.with_name(current.name + ".new")
    new.unlink(missing_ok=True)
    new.symlink_to(os.path.relpath(release, current.parent))
    os.replace(new, current)
    checkpoint()
    for path, name in links.items():
        target = os.path.relpath(current / name, path.parent)
        if path.is_symlink() and os.readlink(path) == target:
            continue
        if path.exists() or path.is_symlink():
            aside = path.with_name(path.name + ".old")
            shutil.rmtree(aside, ignore_errors=True)
            os.replace(path, aside) if not path.is_symlink() else path.unlink()
            shutil.rmtree(aside, ignore_errors=True)
        path.symlink_to(target)
    for old in release.parent.iterdir():
        if old != release:
            shutil.rmtree(old, ignore_errors=True)
