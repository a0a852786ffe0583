"""Publish: the online site and the offline bundle, both from one `python -m build_tools site`.

- Online: `mkdocs build --strict` (directory URLs, served over http) -> site/.
- Offline: derived from the online build (publish/offline.py): what a second build with OFFLINE=true
  (Material's offline plugin: `use_directory_urls: false`) writes, byte for byte, without building twice; plus a README.txt, packaged in dist/ as
  a zip and as a BagIt bag (RFC 8493, SHA-256 manifest), itself zipped.

Everything is built in staging directories first; site/ and dist/ are replaced only when every step
succeeded, so a failed build leaves the previous ones as they were.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from .offline import OfflineError, derive
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
    """`mkdocs build --strict` into `out`; the peak memory (max RSS, MB) of the mkdocs process. `offline`:
    the build with Material's offline plugin (OFFLINE=true), which `publish` no longer runs: the tests
    compare the derived offline copy with it."""
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


def _files(folder: Path) -> list[Path]:
    """The files of `folder`, in the zips' order (sorted paths)."""
    return [path for path in sorted(folder.rglob("*")) if path.is_file()]


def _member(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.file_size = size
    return info


def _add(zf: zipfile.ZipFile, name: str, data: bytes, deflated: bytes | None = None) -> None:
    """One member, as ZipFile.writestr writes it; `deflated`: its raw deflate stream, already made (the same
    bytes zipfile's compressor makes), so that a file going into two zips is compressed once."""
    with zf.open(_member(name, len(data)), "w") as out:
        # zipfile's member writer (CPython 3.8 to 3.13) compresses through `_compressor` and counts the size
        # and the CRC itself; without that attribute it compresses as usual (the same bytes, more slowly).
        if deflated is not None and getattr(out, "_compressor", None) is not None:
            out._compressor = _Deflated(deflated)
        out.write(data)


class _Deflated:
    """Stands in for zipfile's zlib compressor of one member whose deflate stream is made already."""

    def __init__(self, stream: bytes):
        self.stream = stream

    def compress(self, data: bytes) -> bytes:
        stream, self.stream = self.stream, b""
        return stream

    def flush(self) -> bytes:
        return b""


def deflate(data: bytes) -> bytes:
    """The raw deflate stream zipfile writes for ZIP_DEFLATED at its default level."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


def bag_info(site_url: str, built: datetime, payload_bytes: int, payload_files: int) -> str:
    info = {
        "Source-Organization": "组织工作文献档案馆",
        "External-Description": "Offline HTML edition of the archive (open data/index.html); "
                                "raw sources, cleaned texts and edit logs under data/data/.",
        "External-Identifier": site_url,
        "Bagging-Date": built.strftime("%Y-%m-%d"),
        "Bag-Software-Agent": "zuzhi-archive build_tools/publish/bundle.py",
        "Payload-Oxum": f"{payload_bytes}.{payload_files}",
    }
    return "".join(f"{key}: {value}\n" for key, value in sorted(info.items()))


def _manifest_path(path: str) -> str:
    """A path as a BagIt manifest line writes it (RFC 8493 §2.1.3: CR, LF and % percent-encoded)."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def write_bundle(offline_site: Path, dist: Path, site_url: str, built: datetime) -> None:
    """README.txt into the offline site, then dist/<NAME>.zip and dist/<NAME>-bag.zip: the offline site,
    and a BagIt bag (RFC 8493, version 1.0, SHA-256 manifests) whose payload (data/) is the offline site.
    Both zips are written in one pass over the files: each is read, hashed and compressed once."""
    documents = len([p for p in (offline_site / "documents").glob("*.html") if p.name != "index.html"])
    (offline_site / "README.txt").write_text(
        README.format(built=built.strftime("%Y-%m-%d"), site_url=site_url, documents=documents,
                      notice="\n" + local_url_notice(site_url) if local_url_notice(site_url) else ""),
        encoding="utf-8")
    dist.mkdir(parents=True, exist_ok=True)
    files = _files(offline_site)
    bag = f"{NAME}-bag"
    tags = {"bag-info.txt": bag_info(site_url, built, sum(p.stat().st_size for p in files), len(files)),
            "bagit.txt": BAGIT_TXT}
    manifest = []
    with zipfile.ZipFile(dist / ZIP_NAME, "w", compression=zipfile.ZIP_DEFLATED) as plain, \
            zipfile.ZipFile(dist / BAG_NAME, "w", compression=zipfile.ZIP_DEFLATED) as bagged:
        for name in sorted(tags):  # the bag's members in the order of their paths: tag files, data/, manifests
            _add(bagged, f"{bag}/{name}", tags[name].encode("utf-8"))
        for path in files:
            rel = path.relative_to(offline_site).as_posix()
            data = path.read_bytes()
            manifest.append(f"{hashlib.sha256(data).hexdigest()}  {_manifest_path('data/' + rel)}\n")
            stream = deflate(data)
            _add(plain, f"{NAME}/{rel}", data, stream)
            _add(bagged, f"{bag}/data/{rel}", data, stream)
        tags["manifest-sha256.txt"] = "".join(manifest)
        _add(bagged, f"{bag}/manifest-sha256.txt", tags["manifest-sha256.txt"].encode("utf-8"))
        tag_manifest = "".join(f"{hashlib.sha256(tags[name].encode('utf-8')).hexdigest()} {name}\n"
                               for name in sorted(tags))
        _add(bagged, f"{bag}/tagmanifest-sha256.txt", tag_manifest.encode("utf-8"))


def load_config(path: str):
    from mkdocs.config import load_config
    return load_config(path)


def site_url(project: Path) -> str:
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
        config = load_config(str(project / "mkdocs.yml"))
        with _timed(timings, "offline copy"):
            try:
                derive(release / "site", offline, Path(config.docs_dir), config.site_url or "")
            except OfflineError as exc:
                raise PublishError(f"offline copy: {exc}") from exc
        with _timed(timings, "bundle"):
            write_bundle(offline, release / "dist", config.site_url or "", built)
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
    delete the releases no longer current: each is renamed out of releases/ at once (build/trash-<name>),
    then deleted by a detached `rm -rf` (deleting a release of 10,000 documents, ~5 GB written long enough
    ago, takes minutes on a disk mounted with `discard`: 17 s for 335 MB here), so the command does not
    wait for it; a trash folder left by a kill is deleted by the next switch."""
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
    for old in sorted(release.parent.iterdir()):
        if old != release:
            os.replace(old, current.parent / f"trash-{old.name}")
    trash = sorted(str(path) for path in current.parent.glob("trash-*"))
    if trash:
        # sh starts rm in the background and exits at once: rm is nobody's child to wait for
        subprocess.run(["sh", "-c", 'rm -rf -- "$@" </dev/null >/dev/null 2>&1 &', "sh", *trash],
                       check=False, start_new_session=True)
