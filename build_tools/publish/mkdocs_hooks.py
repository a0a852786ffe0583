"""MkDocs hooks (mkdocs.yml `hooks:`): citations on document pages, vendored scripts, the security policy.

- on_nav: every page's canonical URL is its stable (directory) URL under site_url, in both builds.
- on_page_content / on_page_context: a page whose front matter has `provenance` (a document page) gets
  `page.meta.citation`: GB/T 7714 and Chicago strings, meta tags and the download links, all with the stable
  URL; its 引用本文 section (a slot written by publish/page.py near the title) is filled with them.
- on_config: no polyfill: Material's offline plugin adds an iframe-worker shim from a CDN for its search
  worker, and this site has no worker (its search is its own); a script in <head> would also hold up the
  parsing of every page until the stylesheets are loaded.
- on_files: adds the files vendored from npm packages (node_modules, installed by `npm ci`): opencc-js's
  t2cn build, with which docs/javascripts/search.js converts a traditional query phrase by phrase.
- on_page_context (every page): the title, which Material writes unescaped into the header and <title>,
  is escaped after the citations have read it, so a title is shown as its characters.
- on_post_page: a Content-Security-Policy <meta> on every page that allows only the site's own scripts and
  styles, the inline scripts of the theme by their hashes and no inline event handler, so one missed escape
  cannot run.
- on_page_content (every page): the links of the home page's inline charts get their URLs.
- on_post_build: writes the BibTeX, RIS and CSL-JSON files (site/data/cite/<id>.*).
"""
from __future__ import annotations

import base64
import hashlib
import html
import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from build_tools.publish import citation
from build_tools.publish.page import APPARATUS_CLOSE, APPARATUS_OPEN, CITATION_SLOT
from build_tools.publish.urls import page_url

ROOT = Path(__file__).resolve().parents[2]
# {file in node_modules: its URI in the site}; partials/archive-search.html names the converter.
VENDORED = {
    "node_modules/opencc-js/dist/umd/t2cn.js": "assets/vendor/opencc-js/t2cn.js",
    "node_modules/opencc-js/LICENSE": "assets/vendor/opencc-js/LICENSE",
}

_files: dict[str, str] = {}


def on_config(config):
    config.extra["polyfills"] = []
    return config


def on_files(files, config):
    for source, uri in VENDORED.items():
        if not (ROOT / source).is_file():
            raise PluginError(f"{ROOT / source} is missing: run `npm ci` (make site does) to install the "
                              "files the site vendors from npm (package.json)")
        files.append(File.generated(config, uri, abs_src_path=str(ROOT / source)))
    return files


def on_nav(nav, config, files):
    # The stable URL is the directory URL under site_url, in the offline build too (where pages are
    # .html files): the canonical link, the sitemap and every citation of an offline copy name it.
    if config["site_url"]:
        for file in files.documentation_pages():
            if file.page is not None:
                file.page.canonical_url = urljoin(config["site_url"], page_url(file.src_uri))
    return nav


def _citation(page, config) -> dict:
    """The document page's citations (computed once, from its front matter and canonical URL), and its
    BibTeX, RIS and CSL-JSON files, written by on_post_build."""
    meta = page.meta
    if "citation" not in meta:
        url = page.canonical_url or page.abs_url or page.url
        site = config["site_name"]
        meta["citation"] = {
            "gbt7714": citation.gbt7714(meta, url, site),
            "chicago": citation.chicago(meta, url, site),
            "tags": citation.meta_tags(meta, url, site),
            "files": {ext: f"data/cite/{meta['id']}.{ext}" for ext in citation.FILES},
            "url": url,
        }
        for ext, render in citation.FILES.items():
            _files[f"data/cite/{meta['id']}.{ext}"] = render(meta, url, site)
    return meta["citation"]


CHART_LINK = re.compile(r'(<a class="chart-link" href=")([^"#]+\.md)((?:#[^"]*)?")')


def chart_links(html_text: str, page, files) -> str:
    """The home page's inline charts (publish/charts.py) link to index pages by their Markdown path, which
    MkDocs does not rewrite in raw HTML: each becomes the page's URL in this build (years/2004/ online,
    years/2004.html offline). A path that names no page fails the build."""
    base = page.file.src_uri.rsplit("/", 1)[0] + "/" if "/" in page.file.src_uri else ""

    def url(match: re.Match) -> str:
        path = posixpath.normpath(base + html.unescape(match[2]))
        target = files.get_file_from_path(path)
        if target is None:
            raise PluginError(f"{page.file.src_uri}: a chart links to {path}, which is not a page")
        return match[1] + html.escape(get_relative_url(target.url, page.url), quote=True) + match[3]
    return CHART_LINK.sub(url, html_text)


# A document page's 校勘记 table (publish/page.py, `apparatus`): raw HTML, every value escaped, that Python-Markdown
# copies to the page unchanged, but only after its HTML parser has gone through it tag by tag (most of the
# tags of a page, and once most of the time of the build). It is taken out before Markdown, a slot left in
# its place, and put back into the converted page.
APPARATUS = re.compile("^" + re.escape(APPARATUS_OPEN) + ".*?^" + re.escape(APPARATUS_CLOSE) + "$", re.M | re.S)
APPARATUS_SLOT = '<div class="archive-slot" data-slot="apparatus"></div>'
_apparatus: dict[str, str] = {}


def on_page_markdown(markdown, page, config, files):
    if APPARATUS_OPEN not in markdown:
        return markdown
    blocks = APPARATUS.findall(markdown)
    if len(blocks) != 1 or APPARATUS_SLOT in markdown:
        raise PluginError(f"{page.file.src_uri}: {len(blocks)} 校勘记 tables, expected one")
    _apparatus[page.file.src_uri] = blocks[0]
    return APPARATUS.sub(lambda _: APPARATUS_SLOT, markdown, count=1)


def on_page_content(html_text, page, config, files):
    """A document page's 引用本文 slot (written by publish/page.py near the title) gets the citations, its
    校勘记 slot the table taken out before Markdown; the home page's chart links get their URLs."""
    # MkDocs keeps every page's Markdown source and HTML until the end of the build; the source is not read
    # again once converted (the title comes from the front matter or the render): "" frees it.
    page.markdown = ""
    apparatus = _apparatus.pop(page.file.src_uri, None)
    if apparatus is not None:
        if html_text.count(APPARATUS_SLOT) != 1:
            raise PluginError(f"{page.file.src_uri}: the 校勘记 slot is not in the converted page once")
        html_text = html_text.replace(APPARATUS_SLOT, apparatus, 1)
    if 'class="chart-link"' in html_text:
        html_text = chart_links(html_text, page, files)
    if "provenance" not in page.meta or "id" not in page.meta:
        return html_text
    if CITATION_SLOT not in html_text:
        raise PluginError(f"{page.file.src_uri}: no citation slot ({CITATION_SLOT}) on a document page")
    block = citation.block_html(_citation(page, config), lambda path: get_relative_url(path, page.url))
    return html_text.replace(CITATION_SLOT, block, 1)


def on_page_context(context, page, config, nav):
    meta = page.meta
    if "provenance" not in meta or "id" not in meta:
        if "title" in meta:
            meta["title"] = html.escape(str(meta["title"]))
        return context
    _citation(page, config)
    meta["title"] = html.escape(meta["title"])  # Material writes it unescaped; the citations have read it
    return context


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>", re.S)
CSP = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; worker-src 'self'; frame-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'")


def on_post_page(output, page, config):
    return with_csp(zh_hans(output), page.file.src_uri)


def zh_hans(output: str) -> str:
    """Material's `language: zh` writes <html lang="zh">; the pages are in simplified Chinese: zh-Hans, so
    browsers and screen readers pick simplified-Chinese fonts and voices."""
    return output.replace('<html lang="zh"', '<html lang="zh-Hans"', 1)


def on_post_template(output, template_name, config):
    return with_csp(zh_hans(output), template_name) if template_name.endswith(".html") else output


_command = {"name": "build"}


def on_startup(command, dirty):
    """Remember whether this is `mkdocs serve` (make serve): its live reload injects an inline script whose
    text changes with every request, so no hash can allow it."""
    _command["name"] = command


# `make serve` only (a local preview on 127.0.0.1, never published): scripts from the site itself and inline
# ones, so the live-reload script runs; everything else as in CSP.
SERVE_SCRIPTS = "'self' 'unsafe-inline'"


def with_csp(output: str, name: str) -> str:
    """The theme's inline scripts (outside the article, where no source text is) are allowed by hash."""
    if _command["name"] == "serve":
        policy = CSP.format(hashes="").replace("script-src 'self' ;", f"script-src {SERVE_SCRIPTS};")
        return _insert_meta(output, f'<meta http-equiv="Content-Security-Policy" content="{policy}">', name)
    start, end = output.find("<article"), output.rfind("</article>")
    theme = output[:start] + output[end:] if 0 <= start < end else output
    bodies = INLINE_SCRIPT.findall(theme)
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
                     for body in bodies})
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP.format(hashes=" ".join(hashes))}">'
    return _insert_meta(output, meta, name)


def _insert_meta(output: str, meta: str, name: str) -> str:
    head = output.find("<head>")
    if head < 0:
        raise PluginError(f"{name}: no <head> to put the Content-Security-Policy in")
    cut = output.find(">", output.find("<meta charset", head)) + 1 if "<meta charset" in output else head + 6
    return output[:cut] + "\n    " + meta + output[cut:]


def on_post_build(config):
    site = Path(config["site_dir"])
    for name, text in sorted(_files.items()):
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
