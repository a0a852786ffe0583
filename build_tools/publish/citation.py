"""Citations of a document page: GB/T 7714-2015 and Chicago strings, and BibTeX, RIS and CSL-JSON files,
each with the page's stable URL. Input: the page's front matter, its URL and the site name."""
from __future__ import annotations

import json
from html import escape


def _year(meta: dict) -> str:
    return (meta["date"].get("value") or "")[:4]


def _issued(meta: dict) -> list[int]:
    value = meta["date"].get("value") or ""
    return [int(part) for part in value.split("-") if part]


def author(meta: dict) -> str:
    return meta.get("author") or meta["issuing_body"]


def gbt7714(meta: dict, url: str, site: str) -> str:
    """GB/T 7714-2015, electronic resource; the access date is left for the reader ([引用日期])."""
    year = _year(meta) or "出版年不详"
    return f"{author(meta)}. {meta['title']}[EB/OL]. {site}, {year}[引用日期]. {url}."


def chicago(meta: dict, url: str, site: str) -> str:
    year = _year(meta) or "n.d."
    return f"{author(meta)}. “{meta['title']}.” {year}. {site}. {url}."


def bibtex(meta: dict, url: str, site: str) -> str:
    fields = [("author", f"{{{author(meta)}}}"), ("title", meta["title"]), ("year", _year(meta)),
              ("howpublished", site), ("url", url), ("note", f"{meta['genre']}；{meta['place']['city']}")]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
    return f"@misc{{{meta['id']},\n{body}\n}}\n"


def ris(meta: dict, url: str, site: str) -> str:
    lines = [("TY", "ELEC"), ("AU", author(meta)), ("TI", meta["title"]), ("PY", _year(meta)), ("PB", site),
             ("CY", meta["place"]["city"]), ("UR", url), ("LA", "zh"), ("ID", meta["id"]), ("ER", "")]
    return "".join(f"{k}  - {v}\n" for k, v in lines if v or k == "ER")


def csl_json(meta: dict, url: str, site: str) -> str:
    item = {"id": meta["id"], "type": "document", "title": meta["title"], "author": [{"literal": author(meta)}],
            "publisher": site, "publisher-place": meta["place"]["city"], "URL": url, "language": "zh",
            "genre": meta["genre"]}
    if _issued(meta):
        item["issued"] = {"date-parts": [_issued(meta)]}
    return json.dumps([item], ensure_ascii=False, indent=1) + "\n"


FILES = {"bib": bibtex, "ris": ris, "json": csl_json}


def meta_tags(meta: dict, url: str, site: str) -> list[tuple[str, str]]:
    """Highwire (citation_*) and Dublin Core tags, so reference managers capture the page."""
    date = meta["date"].get("value") or ""
    tags = [("citation_title", meta["title"]), ("citation_author", author(meta)),
            ("citation_publication_date", date.replace("-", "/")), ("citation_publisher", site),
            ("citation_language", "zh"), ("citation_public_url", url),
            ("DC.title", meta["title"]), ("DC.creator", author(meta)), ("DC.date", date), ("DC.type", "Text"),
            ("DC.format", "text/html"), ("DC.language", "zh"), ("DC.identifier", url), ("DC.publisher", site),
            ("DC.coverage", meta["place"]["city"]), ("DC.source", meta.get("source", {}).get("url", ""))]
    return [(name, value) for name, value in tags if value]


CITATION_NOTE = ("GB/T 7714 的引用日期由您的浏览器按今天的日期填写（未启用脚本时显示“[引用日期]”，请自行填写）。"
                 "段落可引用为“本页网址#p段落号”。")


def block_html(cite: dict, link) -> str:
    """The 引用本文 section's body: the two citation strings (copy buttons by Material) and the three files.
    `link(path)` makes a site path relative to the page. Every value is escaped."""
    files = " · ".join(f'<a href="{escape(link(path))}" download>{label}</a>'
                       for label, path in (("BibTeX", cite["files"]["bib"]), ("RIS", cite["files"]["ris"]),
                                           ("CSL-JSON", cite["files"]["json"])))
    return (f'<div class="archive-citation" data-url="{escape(cite["url"])}" '
            f'data-gbt7714="{escape(cite["gbt7714"])}">\n'
            f'<p><strong>GB/T 7714-2015</strong></p>\n<pre><code id="cite-gbt7714">{escape(cite["gbt7714"])}</code></pre>\n'
            f'<p><strong>Chicago</strong></p>\n<pre><code id="cite-chicago">{escape(cite["chicago"])}</code></pre>\n'
            f'<p>下载引用文件：{files}</p>\n<p class="archive-citation-note">{escape(CITATION_NOTE)}</p>\n</div>')
