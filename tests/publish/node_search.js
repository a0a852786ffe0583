#!/usr/bin/env node
// Runs the browser's search code (docs/javascripts/search.js) under node against an index directory, for the tests.
// usage: node node_search.js <index dir> < queries.json
//   queries.json: {"queries": [{"q": "...", "select": {"city": ["..."]}, "top": 10}], "opencc": true}
// Prints JSON: one result per query with the ranked hits, the top hits' details and snippets, and the
// facet counts.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const ROOT = path.resolve(__dirname, "..", "..");
const S = require(path.join(ROOT, "docs", "javascripts", "search.js"));

const dir = process.argv[2];
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const loaded = [];

function load(name) {
  const file = path.join(dir, name + ".js");
  if (!fs.existsSync(file)) return Promise.resolve(null);
  let got = null;
  const sandbox = { __searchIndex: (n, data) => { if (n === name) got = typeof data === "string" ? JSON.parse(data) : data; } };
  vm.runInNewContext(fs.readFileSync(file, "utf8"), sandbox, { filename: file });
  loaded.push(name);
  return Promise.resolve(got);
}

let convert = null;
if (input.opencc) {
  const OpenCC = require(path.join(ROOT, "node_modules", "opencc-js", "dist", "umd", "t2cn.js"));
  convert = {};
  for (const from of ["t", "tw", "hk"]) convert[from] = OpenCC.Converter({ from, to: "cn" });
}

(async () => {
  const out = [];
  for (const item of input.queries) {
    const engine = new S.Engine(load);   // a fresh engine per query: counts the files it loads
    loaded.length = 0;
    const r = await engine.searchVariants(item.q, convert);
    const sel = Object.assign({ city: [], year: [], genre: [], topic: [] }, item.select || {});
    const hits = engine.top(r, sel, 0, r.size);
    const top = hits.slice(0, item.top || 10);
    const details = await engine.details(top.map((h) => h.rid));
    out.push({
      q: item.q, variant: r.variant, terms: r.terms, exact: r.exact, partial: r.partial,
      hits: hits.map((h) => [h.rid, h.exact, Number(h.score.toFixed(6))]),
      first: engine.top(r, sel, 0, 20).map((h) => h.rid),
      top: details.map((d, i) => Object.assign(d, {
        exact: top[i].exact,
        snippet: S.snippetHtml(d.text, r.terms),
        url_online: S.pageUrl(d.src, true), url_offline: S.pageUrl(d.src, false)
      })),
      facets: engine.facetCounts(r, sel),
      count: engine.count(r, sel),
      files: loaded.slice().sort()
    });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
