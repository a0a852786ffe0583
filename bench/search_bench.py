"""Benchmark of the archive search on a synthetic corpus.

    .venv/bin/python bench/search_bench.py [--documents 10000] [--runs 3]     (make bench runs it; needs make site)

Generates N documents of about 2,000 characters (Chinese text recombined from the sentences below, with
slots for places and numbers), builds the index with build_tools/publish/search_index.build_index, puts it
into copies of the built site's results page (site/ served by http.server on 127.0.0.1, the offline bundle
unzipped and opened from file://) and
measures in Chromium the time from navigation start to the first result on screen (performance.now() when
the first results are rendered), with a fresh browser context (cold cache) per run. Prints the numbers,
the index size and the file count.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import random
import resource
import shutil
import statistics
import sys
import threading
import time
import zipfile
from urllib.parse import quote

from build_tools.publish import search_index as si
from build_tools.publish.bundle import NAME, ZIP_NAME

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "build", "bench-search")

CITIES = ["如皋市", "台州市", "温州市", "嘉兴市", "绍兴市", "金华市", "衢州市", "舟山市", "丽水市", "湖州市",
          "南通市", "扬州市", "泰州市", "盐城市", "淮安市", "宿迁市", "连云港市", "徐州市", "常州市", "无锡市",
          "苏州市", "镇江市", "芜湖市", "安庆市", "黄山市", "滁州市", "宣城市", "铜陵市", "池州市", "六安市"]
GENRES = ["讲话", "工作总结", "年鉴条目", "考察报告", "调研报告", "通知"]
TOPICS = ["干部教育", "机关作风", "党员管理", "人才工作", "基层组织", "干部监督", "选人用人", "老干部工作"]
UNITS = ["镇", "街道", "乡", "开发区", "园区", "社区", "村", "部门"]

SENTENCES = """\
全市组织工作紧紧围绕经济社会发展大局，坚持服务中心、服务大局。
{city}把干部教育培训作为一项基础性、战略性工程来抓，全年举办各类培训班{n}期。
深入开展效能革命，机关作风明显好转，群众满意度达到{p}%。
认真落实干部教育培训规划，共培训科级以上干部{n}人次。
以效能革命为抓手，推行首问负责制、限时办结制和责任追究制。
组织工作要在服务发展中找准定位，在改革创新中增强活力。
全年发展党员{n}名，其中35岁以下的占{p}%。
坚持党管人才原则，建立健全人才工作目标责任制。
各{unit}党组织书记带头抓党建，层层落实责任。
全面推行村级组织活动场所建设，新建和改造活动场所{n}个。
建立党员服务中心{n}个，开通党员服务热线。
深化“三级联创”活动，农村基层组织建设整体水平进一步提高。
在非公有制企业中扩大党的组织覆盖和工作覆盖，新建党组织{n}个。
开展“双培双带”活动，把党员培养成致富能手，把致富能手培养成党员。
选派{n}名机关干部到村任职，帮助理清发展思路。
实行干部任前公示制和试用期制，扩大干部工作中的民主。
公开选拔副科级领导干部{n}名，一批优秀年轻干部脱颖而出。
加强对领导干部的日常监督，开展经济责任审计{n}项。
完善干部考核评价机制，把实绩作为选拔任用的重要依据。
推进干部交流轮岗，全年交流科级干部{n}名。
老干部工作坚持政治上尊重、思想上关心、生活上照顾。
组织部门要带头加强自身建设，努力做到公道正派。
开展“讲党性、重品行、作表率”活动，树立组工干部良好形象。
经区大讲堂每月举办一次，邀请专家学者为机关干部授课。
依托党校、行政学院等阵地，构建多层次的干部培训体系。
举办中青年干部培训班，组织学员赴{city}考察学习。
开展远程教育，覆盖全市{n}个村和{m}个社区。
大力实施人才强市战略，引进各类高层次人才{n}名。
设立人才发展专项资金{n}万元，重奖有突出贡献的人才。
围绕加入WTO后的新形势，加强外经外贸人才的培养。
全市GDP增长{p}%，财政收入突破{n}亿元。
认真做好党内统计工作，确保数据准确。
严格党员教育管理，开展民主评议党员活动。
对{n}名不合格党员进行了组织处置。
建立困难党员帮扶机制，走访慰问困难党员{n}人。
加强党代表任期制试点工作，发挥党代表作用。
村级党组织换届选举顺利完成，一批能人进入村“两委”班子。
推行“公推直选”，扩大基层党内民主。
落实“一岗双责”，把党风廉政建设融入组织工作。
深入开展保持共产党员先进性教育活动。
在急难险重任务中，广大党员冲锋在前，当先锋、作表率。
社区党建工作实行“网格化”管理，党员责任区覆盖全部楼栋。
机关党建与业务工作同部署、同落实、同考核。
开展创建学习型党组织活动，营造浓厚的学习氛围。
组织工作信息化建设取得新进展，建成干部信息管理系统。
坚持民主集中制，领导班子团结协作，整体功能增强。
进一步加强调查研究，形成有价值的调研报告{n}篇。
各{unit}要结合实际，创造性地开展工作。
以改革的精神推进组织工作，在重点领域取得新突破。
注重从基层一线选拔干部，树立重实干、重实绩的用人导向。
全市共有基层党组织{n}个，党员{m}名。
对后进村党组织进行集中整顿，转化率达到{p}%。
建立健全大学生村官选聘、培养、管理机制。
选聘大学生村官{n}名，充实农村基层干部队伍。
围绕新农村建设，开展“村企结对、共建小康”活动。
推进干部人事制度改革，完善竞争上岗办法。
严肃组织人事纪律，坚决整治用人上的不正之风。
开通“12380”举报电话，受理群众举报{n}件。
组织部长要带头讲党性、重品行，做组工干部的表率。
年内召开组织工作会议{n}次，研究部署重点任务。
""".split("\n")
SENTENCES = [s for s in SENTENCES if s]

HEADINGS = ["总结经验，奋发有为", "突出重点，扎实推进干部教育培训", "深入开展效能革命", "加强基层组织建设",
            "大力实施人才强市战略", "推进干部人事制度改革", "加强党员队伍建设", "加强组织部门自身建设",
            "创新工作方法", "强化责任落实"]
NUMERALS = "一二三四五六七八九十"
TITLES = ["在全市组织工作会议上的讲话", "{year}年组织工作总结", "关于加强基层党建工作的调研报告",
          "{city}委组织部年鉴条目（{year}）", "关于干部教育培训工作的考察报告", "关于开展效能革命的通知"]


def sentence(rnd: random.Random) -> str:
    s = rnd.choice(SENTENCES)
    return s.format(city=rnd.choice(CITIES), n=rnd.randint(2, 3000), m=rnd.randint(100, 90000),
                    p=rnd.randint(10, 99), unit=rnd.choice(UNITS))


def make_corpus(n_docs: int, seed: int = 2024, target_chars: int = 2000) -> list[dict]:
    rnd = random.Random(seed)
    records = []
    for i in range(n_docs):
        doc = f"{i:05d}"
        city, year, genre = rnd.choice(CITIES), str(rnd.randint(1998, 2015)), rnd.choice(GENRES)
        title = rnd.choice(TITLES).format(city=city, year=year)
        base = {"src": f"documents/{doc}.md", "url": f"documents/{doc}/", "doc": doc, "title": title,
                "city": city, "year": year, "genre": genre}
        order = i * 1000
        records.append(dict(base, kind="title", anchor="", heading="", topics=[], text=title, order=order))
        chars, para_no, section = 0, 0, 0
        heading, topics = "", []
        while chars < target_chars:
            if para_no % 3 == 0 and section < 9:
                heading = NUMERALS[section] + "、" + rnd.choice(HEADINGS)
                topics = sorted(rnd.sample(TOPICS, rnd.randint(0, 2)))
                section += 1
                order += 1
                records.append(dict(base, kind="heading", anchor=f"h{section}", heading=heading, topics=topics,
                                    text=heading, order=order))
            text = "".join(sentence(rnd) for _ in range(rnd.randint(2, 7)))
            para_no += 1
            order += 1
            chars += len(text)
            records.append(dict(base, kind="paragraph", anchor=f"p{para_no}", heading=heading, topics=topics,
                                text=text, order=order))
    # Index pages: one per city, one entry per document.
    for ci, city in enumerate(CITIES):
        src = f"cities/c{ci}.md"
        for r in records:
            if r["kind"] == "title" and r["city"] == city and r["src"].startswith("documents/"):
                records.append({"src": src, "url": f"cities/c{ci}/", "doc": f"cities/c{ci}", "title": city,
                                "kind": "index", "anchor": "", "heading": "", "city": city, "year": "",
                                "genre": "", "topics": [], "text": f"{r['title']}（{r['year']}，{r['genre']}）",
                                "order": 10 ** 9 + len(records)})
    return records


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    # Persistent connections, as any real web server (GitHub Pages: HTTP/2) keeps them: with HTTP/1.0 every
    # index file would cost a new TCP connection, six at a time.
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass


def install_index(site_dir: str, files: dict[str, bytes]) -> None:
    search = os.path.join(site_dir, "search")
    for sub in ("b", "t"):
        shutil.rmtree(os.path.join(search, sub), ignore_errors=True)
    for name in ("meta.js", "layout.js"):
        if os.path.exists(os.path.join(search, name)):
            os.remove(os.path.join(search, name))
    si.write_index(files, site_dir)


QUERIES = ["干部教育培训", "能革", "組織工作", "党员 先锋", "wto", "党", "经区大讲堂", "量子纠缠"]


def measure(urls: dict[str, str], runs: int) -> dict:
    from playwright.sync_api import sync_playwright
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run"])
        for mode, base in urls.items():
            for q in QUERIES:
                times, walls, loaded, heap, starts, searched = [], [], [], [], [], []
                for _ in range(runs):
                    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
                    page = ctx.new_page()
                    reqs = []
                    page.on("request", lambda r, reqs=reqs: reqs.append(r.url))
                    t0 = time.perf_counter()
                    page.goto(base + quote(q), wait_until="commit")
                    page.wait_for_selector("[data-archive-search-results][data-first-result-ms]", timeout=60000)
                    walls.append((time.perf_counter() - t0) * 1000)
                    timing = page.evaluate("window.__archiveSearchTiming")
                    times.append(timing["firstResult"])
                    starts.append(timing["marks"]["start"])
                    searched.append(timing["marks"]["search"])
                    hits = timing["hits"]
                    loaded.append(sum(1 for u in reqs if "/search/" in u and u.endswith(".js")))
                    cdp = ctx.new_cdp_session(page)
                    cdp.send("Performance.enable")
                    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
                    heap.append(metrics.get("JSHeapUsedSize", 0) / 1e6)
                    foreign = [u for u in reqs if not (u.startswith("file://") or u.startswith("http://127.0.0.1"))]
                    assert not foreign, foreign
                    ctx.close()
                out[(mode, q)] = {"first_ms": statistics.median(times), "max_ms": max(times),
                                  "wall_ms": statistics.median(walls), "hits": hits,
                                  "index_files": loaded[0], "heap_mb": statistics.median(heap),
                                  "start_ms": statistics.median(starts), "search_ms": statistics.median(searched)}
        browser.close()
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)

    t = time.perf_counter()
    records = make_corpus(args.documents)
    text_chars = sum(len(r["text"]) for r in records if r["kind"] != "index")
    print(f"corpus: {args.documents} documents, {len(records)} records, {text_chars / 1e6:.1f} M characters "
          f"of document text ({time.perf_counter() - t:.1f} s)")
    t = time.perf_counter()
    files = si.build_index(records)
    build_s = time.perf_counter() - t
    size = sum(len(v) for v in files.values())
    shards = [k for k in files if "/b/" in k]
    chunks = [k for k in files if "/t/" in k]
    meta = len(files["search/meta.js"])
    print(f"index: {len(files)} files ({len(shards)} postings shards, {len(chunks)} text chunks, meta.js "
          f"{meta / 1e3:.0f} kB), {size / 1e6:.1f} MB total (postings {sum(len(files[k]) for k in shards) / 1e6:.1f} "
          f"MB, text {sum(len(files[k]) for k in chunks) / 1e6:.1f} MB), largest shard "
          f"{max(len(files[k]) for k in shards) / 1e3:.0f} kB; built in {build_s:.1f} s, peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")
    del records

    site, bundle = os.path.join(ROOT, "site"), os.path.join(ROOT, "dist", ZIP_NAME)
    if not (os.path.isdir(site) and os.path.isfile(bundle)):
        sys.exit("search bench: run `make site` first (it measures the built site's results page)")
    shutil.rmtree(BENCH, ignore_errors=True)
    shutil.copytree(site, os.path.join(BENCH, "site"))
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(BENCH)
    os.replace(os.path.join(BENCH, NAME), os.path.join(BENCH, "offline"))
    install_index(os.path.join(BENCH, "site"), files)
    install_index(os.path.join(BENCH, "offline"), files)
    del files

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(QuietHandler, directory=os.path.join(BENCH, "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    urls = {"file": "file://" + os.path.join(BENCH, "offline", "search.html") + "?q=",
            "http": f"http://127.0.0.1:{server.server_address[1]}/search/?q="}
    try:
        res = measure(urls, args.runs)
    finally:
        server.shutdown()
    load = os.getloadavg()
    print(f"\nfirst result, ms from navigation start: median of {args.runs} cold runs (max); page = when "
          f"search.js starts (the Material page itself), search = query answered, first = first results on "
          f"screen. Load average during the run: {load[0]:.1f} on {os.cpu_count()} cores.")
    print(f"{'query':<10}{'hits':>8}{'files':>6}  {'file:// first (max)':>20} {'page':>5} {'search':>6}  "
          f"{'http first (max)':>17} {'page':>5} {'search':>6}  {'heap MB':>7}")
    for q in QUERIES:
        f, h = res[("file", q)], res[("http", q)]
        print(f"{q:<10}{f['hits']:>8}{f['index_files']:>6}  {f['first_ms']:>12.0f} ({f['max_ms']:>5.0f}) "
              f"{f['start_ms']:>5.0f} {f['search_ms']:>6.0f}  {h['first_ms']:>9.0f} ({h['max_ms']:>5.0f}) "
              f"{h['start_ms']:>5.0f} {h['search_ms']:>6.0f}  {max(f['heap_mb'], h['heap_mb']):>7.1f}")


if __name__ == "__main__":
    sys.exit(main())
