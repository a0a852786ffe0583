"""Citations of a document page: GB/T 7714-2015 and Chicago strings, Highwire/Dublin Core meta tags, and
BibTeX, RIS and CSL-JSON files, each with the page's stable URL. Input: the page's front matter, its URL and
the site name. Every format is made from one description of the item (`item`), so they agree.

The item type follows the genre (rules/genres.yml): a yearbook entry is a section of its yearbook (Zotero
“Book Section” through citation_inbook_title, CSL `chapter`, BibTeX @incollection, RIS CHAP, GB/T [M/OL]
with `//` and the yearbook), a study-tour, research report or work summary is a report of its issuing body
(citation_technical_report_institution: Zotero “Report”; CSL `report`, @techreport, RPRT, [R/OL]), a speech
is a speech (CSL `speech`; Highwire has no tag for one, so the page carries only Dublin Core and Zotero
saves it as a web page rather than guess a journal article), anything else a web page ([EB/OL]). Creators
are the sidecar's `authors` (one per person, bodies marked corporate), else the issuing body as a corporate
author; the sidecar's free `author` text is never a creator. Dates keep their precision; an inferred date
and a supplied title or container are bracketed in GB/T 7714 (and Chicago). The access date of GB/T is
`[引用日期]`, filled by the reader's browser; the files carry it only when the page knows a version date.
"""
from __future__ import annotations

import json
from html import escape

PLACEHOLDER_ACCESS = "[引用日期]"
REPORT_GENRES = {"考察报告", "调研报告", "工作总结"}


def kind(meta: dict) -> str:
    genre = meta["genre"]
    if genre == "年鉴条目":
        return "chapter"
    if genre in REPORT_GENRES:
        return "report"
    if genre == "讲话":
        return "speech"
    return "webpage"


def creators(meta: dict) -> list[dict]:
    """[{name, corporate}], one per person or body."""
    listed = meta.get("authors") or []
    if listed:
        return [{"name": a["name"], "corporate": bool(a.get("corporate"))} for a in listed]
    return [{"name": meta["issuing_body"], "corporate": True}]


def date_parts(meta: dict) -> list[int]:
    value = meta["date"].get("value") or ""
    return [int(part) for part in value.split("-") if part]


def inferred_date(meta: dict) -> bool:
    return bool(meta["date"].get("inferred") or "date" in meta.get("inferred", {}))


def _title(meta: dict) -> str:
    return f"[{meta['title']}]" if meta.get("title_supplied") else meta["title"]


def _container(meta: dict) -> str:
    host = meta.get("container")
    if not host:
        return ""
    return f"[{host['title']}]" if host.get("inferred") else host["title"]


def _place(meta: dict) -> str:
    """The issuing body's city, bracketed when the archive inferred it."""
    city = meta["place"]["city"]
    return f"[{city}]" if meta["place"].get("evidence") or "place" in meta.get("inferred", {}) else city


def _iso(meta: dict) -> str:
    return meta["date"].get("value") or ""


def _gbt_date(meta: dict) -> str:
    value = _iso(meta)
    if not value:
        return "[出版年不详]"
    return f"[{value}]" if inferred_date(meta) else value


def version(meta: dict) -> dict:
    return meta.get("version") or {}


def gbt7714(meta: dict, url: str, site: str) -> str:
    """GB/T 7714-2015. Authors separated by commas; type code by item type; the document's date at its
    precision; the access date left for the reader ([引用日期])."""
    authors = ", ".join(c["name"] for c in creators(meta))
    date, access = _gbt_date(meta), PLACEHOLDER_ACCESS
    item = kind(meta)
    if item == "chapter":
        host = _container(meta) or "[年鉴名不详]"
        year = (meta.get("container") or {}).get("year") or "[出版年不详]"
        body = f"{authors}. {_title(meta)}[M/OL]//{host}. [出版地不详]: [出版者不详], {year}({date}){access}"
    elif item == "report":
        body = f"{authors}. {_title(meta)}[R/OL]. {_place(meta)}: {meta['issuing_body']}, {date}{access}"
    else:
        body = f"{authors}. {_title(meta)}[EB/OL]. ({date}){access}"
    label = version(meta).get("label")
    return f"{body}. {url}" + (f"（整理本{label}）" if label else "") + "."


def _cn_date(meta: dict) -> str:
    parts = date_parts(meta)
    if not parts:
        return "n.d."
    text = f"{parts[0]}年" + (f"{parts[1]}月" if len(parts) > 1 else "") + (f"{parts[2]}日" if len(parts) > 2 else "")
    return f"[{text}]" if inferred_date(meta) else text


def chicago(meta: dict, url: str, site: str) -> str:
    authors = ", ".join(c["name"] for c in creators(meta))
    item, date = kind(meta), _cn_date(meta)
    title = f"“{_title(meta)}.”"
    if item == "chapter":
        host = _container(meta) or "[年鉴名不详]"
        middle = f"In {host}. {date}."
    elif item == "report":
        middle = f"{meta['genre']}. {_place(meta)}: {meta['issuing_body']}, {date}."
    else:
        middle = f"{meta['genre']}, {date}."
    label = version(meta).get("label")
    return f"{authors}. {title} {middle} {site}" + (f"，整理本{label}" if label else "") + f". {url}."


def _bib_value(text: str) -> str:
    """A value between BibTeX braces: braces and backslashes escaped."""
    return text.replace("\\", "\0").replace("{", "\\{").replace("}", "\\}").replace("\0", "\\textbackslash{}")


def bibtex(meta: dict, url: str, site: str) -> str:
    item = kind(meta)
    entry = {"chapter": "incollection", "report": "techreport"}.get(item, "misc")
    names = " and ".join(f"{{{_bib_value(c['name'])}}}" for c in creators(meta))
    parts = date_parts(meta)
    fields = [("author", names, False), ("title", _title(meta), True)]
    if item == "chapter":
        fields.append(("booktitle", _container(meta) or "[年鉴名不详]", True))
    if item == "report":
        fields += [("institution", meta["issuing_body"], True), ("type", meta["genre"], True),
                   ("address", meta["place"]["city"], True)]
    if item in ("speech", "webpage"):
        fields.append(("howpublished", meta["genre"], True))
    fields += [("year", str(parts[0]) if parts else "", True), ("date", _iso(meta), True),
               ("url", url, False), ("urldate", version(meta).get("date", ""), True),
               ("language", "chinese", True), ("organization", site if item in ("speech", "webpage") else "", True)]
    notes = []
    if inferred_date(meta):
        notes.append("日期为推断")
    if meta.get("title_supplied"):
        notes.append("题名为整理者所拟")
    if version(meta).get("label"):
        notes.append(f"整理本{version(meta)['label']}")
    fields.append(("note", "；".join(notes), True))
    body = ",\n".join(f"  {k} = {{{_bib_value(v) if esc else v}}}" for k, v, esc in fields if v)
    return f"@{entry}{{{meta['id']},\n{body}\n}}\n"


def ris(meta: dict, url: str, site: str) -> str:
    item = kind(meta)
    kind_code = {"chapter": "CHAP", "report": "RPRT", "speech": "GEN", "webpage": "ELEC"}[item]
    parts = date_parts(meta)
    lines = [("TY", kind_code)]
    lines += [("AU", c["name"]) for c in creators(meta)]
    lines += [("TI", _title(meta))]
    if item == "chapter":
        lines.append(("T2", _container(meta) or "[年鉴名不详]"))
    if item == "report":
        lines += [("PB", meta["issuing_body"]), ("CY", meta["place"]["city"])]
    lines += [("M3", meta["genre"])]
    # RIS dates: PY the year, DA YYYY/MM/DD/ with empty parts for the precision not known
    if parts:
        lines.append(("PY", str(parts[0])))
        lines.append(("DA", "/".join([str(parts[0]), *(f"{p:02d}" for p in parts[1:])] + [""] * (4 - len(parts)))))
    if version(meta).get("date"):
        lines.append(("Y2", version(meta)["date"].replace("-", "/")))  # access date
    lines += [("UR", url), ("LA", "zh"), ("DB", site), ("ID", meta["id"])]
    notes = (["日期为推断"] if inferred_date(meta) else []) + (["题名为整理者所拟"] if meta.get("title_supplied") else [])
    if version(meta).get("label"):
        notes.append(f"整理本{version(meta)['label']}")
    if notes:
        lines.append(("N1", "；".join(notes)))
    lines.append(("ER", ""))
    return "".join(f"{k}  - {v}\n" for k, v in lines if v or k == "ER")


def csl_json(meta: dict, url: str, site: str) -> str:
    item = kind(meta)
    authors = [{"literal": c["name"]} for c in creators(meta)]
    data = {"id": meta["id"], "type": {"webpage": "webpage"}.get(item, item), "title": _title(meta),
            "author": authors, "URL": url, "language": "zh", "genre": meta["genre"]}
    if item == "chapter":
        data["container-title"] = _container(meta) or "[年鉴名不详]"
    if item == "report":
        data["publisher"], data["publisher-place"] = meta["issuing_body"], meta["place"]["city"]
    if item in ("speech", "webpage"):
        data["container-title"] = site
    if date_parts(meta):
        data["issued"] = {"date-parts": [date_parts(meta)]}
        if inferred_date(meta):
            data["issued"]["approximate"] = True
    if version(meta).get("date"):
        data["accessed"] = {"date-parts": [[int(x) for x in version(meta)["date"].split("-")]]}
    if version(meta).get("label"):
        data["version"] = version(meta)["label"]
    return json.dumps([data], ensure_ascii=False, indent=1) + "\n"


FILES = {"bib": bibtex, "ris": ris, "json": csl_json}


def meta_tags(meta: dict, url: str, site: str) -> list[tuple[str, str]]:
    """Highwire (citation_*) and Dublin Core tags, typed so that Zotero's Embedded Metadata translator and
    Google Scholar read the right item: citation_inbook_title (and the older citation_book_title) for a
    yearbook entry, citation_technical_report_institution for a report; a speech or a web page gets no
    citation_* tag (a bare citation_title makes Zotero guess a journal article)."""
    item, iso = kind(meta), _iso(meta)
    tags: list[tuple[str, str]] = []
    if item in ("chapter", "report"):
        tags.append(("citation_title", meta["title"]))
        tags += [("citation_author", c["name"]) for c in creators(meta)]
        tags.append(("citation_publication_date", iso.replace("-", "/")))
        if item == "chapter":
            host = (meta.get("container") or {}).get("title", "")
            tags += [("citation_inbook_title", host), ("citation_book_title", host)]
        else:
            tags.append(("citation_technical_report_institution", meta["issuing_body"]))
        tags += [("citation_language", "zh"), ("citation_public_url", url), ("citation_abstract_html_url", url)]
    dc_type = {"chapter": "Text", "report": "Text", "speech": "Speech", "webpage": "Text"}[item]
    tags += [("DC.title", meta["title"])]
    tags += [("DC.creator", c["name"]) for c in creators(meta)]
    tags += [("DC.date", iso), ("DC.type", dc_type), ("DC.format", "text/html"), ("DC.language", "zh"),
             ("DC.identifier", url)]
    if item in ("speech", "webpage"):
        tags.append(("DC.publisher", site))  # the archive publishes this web edition
    if item == "chapter" and meta.get("container"):
        tags.append(("DC.relation.ispartof", meta["container"]["title"]))
    tags += [("DC.coverage", meta["place"]["city"]), ("DC.source", meta.get("source", {}).get("url", ""))]
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
