// Archive search: paragraph-level, exact-phrase search over the index written by search_index.py.
//
// The index is a set of small JavaScript files that call __searchIndex(name, data); they are loaded with
// <script> tags, so the same code works over http and from file:// (no fetch, no worker, no other host).
// On every page this file (1) drives the search box in the header (a form that submits ?q= to the
// results page), (2) highlights ?h= terms on a landing page and scrolls the target anchor's first hit
// into view. On the results page (an element [data-archive-search-results]) it runs the query of ?q=,
// with facets (?city= ?year= ?genre= ?topic=, repeatable) kept in the URL.
//
// The core (normalisation, matching, ranking, snippets) has no DOM dependency and is exported under node
// (module.exports) so the tests run exactly this code.
(function (global) {
  "use strict";

  // ------------------------------------------------------------------------------------------------
  // Normalisation: mirrors search_index.py (per code point: NFKC, lower case, zero-width removed).
  var ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad";
  var WORD = /^[\p{L}\p{N}\p{M}]$/u;
  var HAN = /\p{Script=Han}/u;
  var normCache = new Map();
  var wordCache = new Map();

  function normChar(c) {
    var r = normCache.get(c);
    if (r === undefined) {
      r = ZERO_WIDTH.indexOf(c) >= 0 ? "" : c.normalize("NFKC").toLowerCase();
      normCache.set(c, r);
    }
    return r;
  }

  function isWord(c) {
    var r = wordCache.get(c);
    if (r === undefined) {
      r = WORD.test(c);
      wordCache.set(c, r);
    }
    return r;
  }

  // The normalised characters of a text and, for each, the UTF-16 span of the source character.
  function normalizeMapped(text) {
    var chars = [], from = [], to = [], i = 0;
    for (var c of text) {
      var n = normChar(c);
      if (n.length === 1) {
        chars.push(n); from.push(i); to.push(i + c.length);
      } else {
        for (var d of n) { chars.push(d); from.push(i); to.push(i + c.length); }
      }
      i += c.length;
    }
    return { chars: chars, from: from, to: to };
  }

  function normalize(text) { return normalizeMapped(text).chars.join(""); }

  // Terms of a query: runs of word characters (arrays of code points), duplicates dropped.
  function queryTerms(query) {
    var terms = [], cur = [], seen = new Set();
    var chars = normalizeMapped(String(query || "")).chars;
    function push() {
      if (!cur.length) return;
      var key = cur.join("");
      if (!seen.has(key)) { seen.add(key); terms.push(cur); }
      cur = [];
    }
    for (var c of chars) {
      if (isWord(c)) cur.push(c); else push();
    }
    push();
    return terms;
  }

  // ------------------------------------------------------------------------------------------------
  // Index encoding.
  var CONT = "0123456789ABCDEFGHIJKLMNOPQRSTUV", TERM = "WXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = new Int8Array(128).fill(-1);
  for (var k = 0; k < 32; k++) { DIGIT[CONT.charCodeAt(k)] = k; DIGIT[TERM.charCodeAt(k)] = 32 + k; }

  function decodeNumbers(s) {
    var out = [], n = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s.charCodeAt(i)];
      if (d < 32) n = n * 32 + d;
      else { out.push(n * 32 + d - 32); n = 0; }
    }
    return out;
  }

  // Postings: {rids, offs, pos} (typed arrays): the positions of rids[i] are pos[offs[i]..offs[i+1]).
  // The string starts with the numbers of records and of positions, then per record
  // (rid delta << 1 | more than one), [occurrences - 2], position deltas.
  var EMPTY = { rids: new Int32Array(0), offs: new Int32Array(1), pos: new Int32Array(0) };

  // The two numbers that head a posting (records, occurrences) and where the rest starts: [a, b, at].
  function postingHead(s) {
    var i = 0, n = 0, d, vals = [0, 0, 0], got = 0;
    while (got < 2) {
      d = DIGIT[s.charCodeAt(i++)];
      if (d < 32) n = n * 32 + d; else { vals[got++] = n * 32 + d - 32; n = 0; }
    }
    vals[2] = i;
    return vals;
  }

  function decodePosting(s) {
    var vals = postingHead(s), i = vals[2], len = s.length, n = 0, d;
    var df = vals[0], rids = new Int32Array(df), offs = new Int32Array(df + 1), pos = new Int32Array(vals[1]);
    var rid = 0, r = 0, k = 0, state = 0, left = 0, p = 0;
    // state 0: rid field; 1: occurrences - 2; 2: positions (left to read)
    for (; i < len; i++) {
      d = DIGIT[s.charCodeAt(i)];
      if (d < 32) { n = n * 32 + d; continue; }
      n = n * 32 + d - 32;
      if (state === 0) {
        rid += n >>> 1;
        rids[r] = rid;
        if (n & 1) state = 1; else { left = 1; state = 2; }
        p = 0;
      } else if (state === 1) {
        left = n + 2; state = 2;
      } else {
        p += n;
        pos[k++] = p;
        if (--left === 0) { offs[++r] = k; state = 0; }
      }
      n = 0;
    }
    return { rids: rids, offs: offs, pos: pos };
  }

  // A character's posting (b/<hex>-u: records and occurrences, no positions): {rids, tf}.
  function decodeCounts(s) {
    var vals = postingHead(s), i = vals[2], n = 0, d;
    var rids = new Int32Array(vals[0]), tf = new Int32Array(vals[0]), rid = 0, r = 0, more = false;
    for (; i < s.length; i++) {
      d = DIGIT[s.charCodeAt(i)];
      if (d < 32) { n = n * 32 + d; continue; }
      n = n * 32 + d - 32;
      if (more) { tf[r - 1] = n + 2; more = false; }
      else { rid += n >>> 1; rids[r] = rid; tf[r++] = 1; more = (n & 1) === 1; }
      n = 0;
    }
    return { rids: rids, tf: tf };
  }

  function h32(x) {
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    return (x ^ (x >>> 16)) >>> 0;
  }

  // The shards of a character or bigram, from the layout (layout.js: {buckets, hot, own}).
  // The files a one-character query reads: a very frequent character's own posting (b/<hex>-u), else
  // the shards of its bigrams (several for a frequent character, else its bucket).
  function hasOwnPosting(layout, a) { return (layout.hot[a] || 0) >= layout.own; }

  function shardsOfChar(layout, a) {
    var cp = a.codePointAt(0), k = layout.hot[a];
    if (hasOwnPosting(layout, a)) return ["b/" + cp.toString(16) + "-u"];
    if (!k) return ["b/" + (h32(cp) % layout.buckets)];
    var names = [];
    for (var j = 0; j < k; j++) names.push("b/" + cp.toString(16) + "-" + j);
    return names;
  }

  function shardOfBigram(layout, a, b) {
    var cp = a.codePointAt(0), k = layout.hot[a];
    if (!k) return "b/" + (h32(cp) % layout.buckets);
    return "b/" + cp.toString(16) + "-" + (h32(b ? b.codePointAt(0) : 0) % k);
  }

  // The URL MkDocs gives a page's source path (mirrors search_index.page_url).
  function pageUrl(src, directoryUrls) {
    if (!directoryUrls) return src.replace(/\.md$/, ".html");
    if (src === "index.md") return "";
    if (/(^|\/)index\.md$/.test(src)) return src.replace(/index\.md$/, "");
    return src.replace(/\.md$/, "/");
  }

  // ------------------------------------------------------------------------------------------------
  // The engine. load(name) returns a promise of the data a file registered (null when missing).
  var KIND_BOOST = [3, 2, 1, 1];       // title, heading, paragraph, index entry
  var KIND_INDEX = 3;
  var K1 = 1.2, B = 0.75;
  var PARTIAL_SHARE = 0.6;             // share of a term's bigrams a partial hit must contain
  var PARTIAL_BELOW = 100;             // partial hits are looked for when fewer exact hits than this
  var ADJACENT_BONUS = 1.5;            // every term follows the previous one within two characters
  var FACETS = ["city", "year", "genre", "topic"];
  var LENGTHS = new Float64Array(256);   // record length from its bucket (search_index.length_bucket)
  for (var lb = 0; lb < 256; lb++) LENGTHS[lb] = Math.pow(2, lb / 8) - 1;

  function Engine(load) {
    this.load = load;
    this.layout = null;
    this.meta = null;
    this.postings = new Map();
    this.shards = new Map();
  }

  // The shard layout: loaded first (a few hundred bytes), so that a query's shards can load beside meta.
  Engine.prototype._getLayout = function () {
    var self = this;
    if (!this._layout) {
      this._layout = this.load("layout").then(function (layout) {
        if (!layout) throw new Error("search index not found");
        self.layout = layout;
        return layout;
      });
    }
    return this._layout;
  };

  Engine.prototype.init = function () {
    var self = this;
    if (!this._init) {
      this._init = Promise.all([this._getLayout(), this.load("meta")]).then(function (both) {
        if (!both[1]) throw new Error("search index not found");
        self._setMeta(both[1]);
        return self;
      });
    }
    return this._init;
  };

  // Start loading the shards a query needs (before meta is there, and before a traditional query is
  // converted: most queries need no conversion, and a converted one loads what it lacks).
  Engine.prototype.prefetch = function (query) {
    var self = this;
    return this._getLayout().then(function (layout) {
      var names = new Set();
      queryTerms(query).forEach(function (t) { termShards(layout, t).forEach(function (n) { names.add(n); }); });
      return self._loadShards(Array.from(names).sort());
    }).catch(function () { return null; });
  };

  // Start-up work is kept small (it delays every query): per page its first record and facets, the
  // records where the topic set changes. Per-record tables (page, topic set) are expanded only when a
  // query counts facets or filters (_expand); a few records are looked up by binary search.
  Engine.prototype._setMeta = function (meta) {
    this.meta = meta;
    var np = meta.pages, docs = decodeNumbers(meta.docs), rid = 0;
    this.pageStart = new Int32Array(np + 1);
    this.pageFacet = { city: new Int32Array(np), year: new Int32Array(np), genre: new Int32Array(np) };
    for (var p = 0; p < np; p++) {
      this.pageStart[p] = rid;
      rid += docs[4 * p];
      this.pageFacet.city[p] = docs[4 * p + 1] - 1;
      this.pageFacet.year[p] = docs[4 * p + 2] - 1;
      this.pageFacet.genre[p] = docs[4 * p + 3] - 1;
    }
    this.pageStart[np] = rid;
    // Per record: two fixed-width digits (length bucket << 2 | kind), read in place by _kind and _len.
    this.recs = meta.recs;
    var changes = decodeNumbers(meta.topics), at = 0;
    this.topicFrom = new Int32Array(changes.length / 2);
    this.topicSet = new Int32Array(changes.length / 2);
    for (var i = 0; i < changes.length; i += 2) {
      at += changes[i];
      this.topicFrom[i / 2] = at;
      this.topicSet[i / 2] = changes[i + 1];
    }
    var deltas = decodeNumbers(meta.chunks), acc = 0;
    this.chunkStart = deltas.map(function (d) { return (acc += d); });
    this.recPage = null;
    this.recTopics = null;
  };

  // The last index i of a sorted array with starts[i] <= x (0 when none).
  function lastAtMost(starts, x, size) {
    var lo = 0, hi = size - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= x) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  Engine.prototype._pageOf = function (rid) {
    return this.recPage ? this.recPage[rid] : lastAtMost(this.pageStart, rid, this.meta.pages);
  };

  Engine.prototype._topicsOf = function (rid) {
    if (this.recTopics) return this.recTopics[rid];
    return this.topicFrom.length ? this.topicSet[lastAtMost(this.topicFrom, rid, this.topicFrom.length)] : 0;
  };

  Engine.prototype._expand = function () {
    if (this.recPage) return;
    var n = this.meta.n, np = this.meta.pages, recPage = new Int32Array(n), recTopics = new Int32Array(n);
    for (var p = 0; p < np; p++) recPage.fill(p, this.pageStart[p], this.pageStart[p + 1]);
    for (var i = 0; i < this.topicFrom.length; i++) {
      recTopics.fill(this.topicSet[i], this.topicFrom[i], i + 1 < this.topicFrom.length ? this.topicFrom[i + 1] : n);
    }
    this.recPage = recPage;
    this.recTopics = recTopics;
  };

  Engine.prototype._kind = function (rid) { return DIGIT[this.recs.charCodeAt(2 * rid + 1)] & 3; };
  Engine.prototype._len = function (rid) {
    var bucket = (DIGIT[this.recs.charCodeAt(2 * rid)] << 3) | (DIGIT[this.recs.charCodeAt(2 * rid + 1)] >> 2);
    return LENGTHS[bucket];
  };

  Engine.prototype._loadShards = function (names) {
    var self = this;
    return Promise.all(names.map(function (name) {
      if (self.shards.has(name)) return self.shards.get(name);
      return self.load(name).then(function (data) { self.shards.set(name, data || {}); return data; });
    }));
  };

  // The encoded postings of a key, from a loaded shard ("" when absent).
  Engine.prototype._raw = function (a, b) {
    var shard = this.shards.get(shardOfBigram(this.layout, a, b));
    return (shard && shard[a] && shard[a][b]) || "";
  };

  // Decoded postings of a key (one or two characters), cached.
  Engine.prototype._posting = function (a, b) {
    var key = a + b, hit = this.postings.get(key);
    if (hit) return hit;
    var shard = this.shards.get(shardOfBigram(this.layout, a, b)) || {};
    var s = shard[a] && shard[a][b];
    hit = s ? decodePosting(s) : EMPTY;
    this.postings.set(key, hit);
    return hit;
  };

  function termShards(layout, term) {
    if (term.length === 1) return shardsOfChar(layout, term[0]);
    var names = [];
    for (var i = 0; i + 1 < term.length; i++) names.push(shardOfBigram(layout, term[i], term[i + 1]));
    return names;
  }

  // Exact occurrences of a term: {rids (sorted), tf, offs, pos}: the start positions of rids[i] are
  // pos[offs[i]..offs[i+1]) (positions are kept for terms of two characters or more).
  Engine.prototype._exact = function (term) {
    var i, j;
    if (term.length === 1 && hasOwnPosting(this.layout, term[0])) {
      var own = this.shards.get(shardsOfChar(this.layout, term[0])[0]);
      var counted = typeof own === "string" ? decodeCounts(own) : { rids: new Int32Array(0), tf: new Int32Array(0) };
      return { rids: counted.rids, tf: counted.tf, offs: null, pos: null };
    }
    if (term.length === 1) {
      var a = term[0], names = shardsOfChar(this.layout, a), seconds = [];
      for (i = 0; i < names.length; i++) {
        var sh = this.shards.get(names[i]);
        if (sh && sh[a]) seconds = seconds.concat(Object.keys(sh[a]));
      }
      if (seconds.length === 1) {
        var only = this._posting(a, seconds[0]);
        var tf1 = new Int32Array(only.rids.length);
        for (j = 0; j < tf1.length; j++) tf1[j] = only.offs[j + 1] - only.offs[j];
        return { rids: only.rids, tf: tf1, offs: null, pos: null };
      }
      var count = new Int32Array(this.meta.n), touched = [];
      for (i = 0; i < seconds.length; i++) {
        var pl = this._posting(a, seconds[i]);
        for (j = 0; j < pl.rids.length; j++) {
          var r = pl.rids[j];
          if (!count[r]) touched.push(r);
          count[r] += pl.offs[j + 1] - pl.offs[j];
        }
      }
      var rids1 = Int32Array.from(touched).sort(), tfs = new Int32Array(rids1.length);
      for (j = 0; j < rids1.length; j++) tfs[j] = count[rids1[j]];
      return { rids: rids1, tf: tfs, offs: null, pos: null };
    }
    // Bigrams that cover every character of the term are enough for an exact match (the first and the
    // last are always needed); choose the cover with the shortest postings (dynamic programming).
    var m = term.length - 1, cost = [], best = [], back = [];
    for (i = 0; i < m; i++) {
      var raw = this._raw(term[i], term[i + 1]);
      if (!raw) return { rids: new Int32Array(0), tf: new Int32Array(0), offs: [0], pos: [] };
      cost.push(raw.length);
    }
    for (i = 0; i < m; i++) {
      if (i === 0) { best[0] = cost[0]; back[0] = -1; continue; }
      var viaOne = best[i - 1], viaTwo = i >= 2 ? best[i - 2] : Infinity;
      if (viaTwo <= viaOne) { best[i] = cost[i] + viaTwo; back[i] = i - 2; } else { best[i] = cost[i] + viaOne; back[i] = i - 1; }
    }
    var offsets = [];
    for (i = m - 1; i >= 0; i = back[i]) offsets.unshift(i);
    var lists = offsets.map(function (o) { return this._posting(term[o], term[o + 1]); }, this);
    if (lists.length === 1) {           // one bigram covers the term: its posting is the answer
      var one = lists[0], tf = new Int32Array(one.rids.length);
      for (j = 0; j < tf.length; j++) tf[j] = one.offs[j + 1] - one.offs[j];
      return { rids: one.rids, tf: tf, offs: one.offs, pos: one.pos };
    }
    var rare = 0;
    for (i = 1; i < lists.length; i++) if (lists[i].rids.length < lists[rare].rids.length) rare = i;
    var cap = lists[rare].rids.length, ptr = new Int32Array(lists.length), rows = new Int32Array(lists.length);
    var outR = new Int32Array(cap), outTf = new Int32Array(cap), outOffs = new Int32Array(cap + 1);
    var outPos = new Int32Array(lists[0].pos.length), nr = 0, np = 0;
    outer:
    for (i = 0; i < cap; i++) {
      var rid = lists[rare].rids[i];
      for (j = 0; j < lists.length; j++) {
        var L = lists[j].rids, k = ptr[j];
        if (L.length - k > 16 && L[k + 16] < rid) {            // gallop over long runs
          var step = 16;
          while (k + step * 2 < L.length && L[k + step * 2] < rid) step *= 2;
          k += step;
        }
        while (k < L.length && L[k] < rid) k++;
        ptr[j] = k;
        if (k >= L.length) break outer;
        if (L[k] !== rid) continue outer;
        rows[j] = k;
      }
      // Starts s with the j-th chosen bigram at s + offsets[j]: the first list's positions, kept (written
      // at outPos[np..]) while every other list has its bigram at the right place (merging sorted lists).
      var first = lists[0], at = np;
      for (var x = first.offs[rows[0]]; x < first.offs[rows[0] + 1]; x++) outPos[at++] = first.pos[x];
      for (j = 1; j < lists.length && at > np; j++) {
        var pl2 = lists[j], y = pl2.offs[rows[j]], hi = pl2.offs[rows[j] + 1], kept = np;
        for (var s = np; s < at; s++) {
          var want = outPos[s] + offsets[j];
          while (y < hi && pl2.pos[y] < want) y++;
          if (y < hi && pl2.pos[y] === want) outPos[kept++] = outPos[s];
        }
        at = kept;
      }
      if (at > np) {
        outR[nr] = rid; outTf[nr] = at - np; np = at; outOffs[++nr] = np;
      }
    }
    return { rids: outR.subarray(0, nr), tf: outTf.subarray(0, nr), offs: outOffs.subarray(0, nr + 1), pos: outPos.subarray(0, np) };
  };

  Engine.prototype._idf = function (df) {
    var n = this.meta.n;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };

  Engine.prototype._bm25 = function (rid, tf, idf) {
    var norm = 1 - B + B * this._len(rid) / (this.meta.avgdl || 1);
    return idf * tf * (K1 + 1) / (tf + K1 * norm);
  };

  // Partial occurrences of a term of 3+ characters: rids holding at least PARTIAL_SHARE of its distinct
  // bigrams (and at least two), scored by the share of bigrams times their mean idf (no tf, no length:
  // partial hits only follow the exact ones).
  Engine.prototype._partial = function (term) {
    if (term.length < 3) return { rids: new Int32Array(0), score: new Float64Array(0) };
    var keys = [], seen = new Set(), i, j;
    for (i = 0; i + 1 < term.length; i++) {
      var key = term[i] + term[i + 1];
      if (!seen.has(key)) { seen.add(key); keys.push([term[i], term[i + 1]]); }
    }
    var need = Math.max(2, Math.ceil(PARTIAL_SHARE * keys.length));
    var count = new Uint8Array(this.meta.n), sum = new Float64Array(this.meta.n), touched = [];
    for (i = 0; i < keys.length; i++) {
      var pl = this._posting(keys[i][0], keys[i][1]), idf = this._idf(pl.rids.length), rids = pl.rids;
      for (j = 0; j < rids.length; j++) {
        var rid = rids[j];
        if (count[rid] === 0) touched.push(rid);
        count[rid]++;
        sum[rid] += idf;
      }
    }
    var out = [];
    for (j = 0; j < touched.length; j++) if (count[touched[j]] >= need) out.push(touched[j]);
    var hits = Int32Array.from(out).sort(), score = new Float64Array(hits.length);
    for (j = 0; j < hits.length; j++) {
      score[j] = (count[hits[j]] / keys.length) * sum[hits[j]] / keys.length;
    }
    return { rids: hits, score: score };
  };

  // Run a query. The result holds every hit in typed arrays (record order): rids, score, group (0 exact
  // document text, 1 exact index entry, 2 partial document text, 3 partial index entry); read it with
  // top(), count() and facetCounts().
  Engine.prototype.search = function (query) {
    var self = this, terms = queryTerms(query);
    var result = { query: query, terms: terms.map(function (t) { return t.join(""); }),
      rids: new Int32Array(0), score: new Float64Array(0), group: new Uint8Array(0), exact: 0, partial: 0,
      size: 0, _sorted: new Map() };
    // The shards load as soon as the layout is known, beside meta.
    var shards = this._getLayout().then(function (layout) {
      var names = new Set();
      terms.forEach(function (t) { termShards(layout, t).forEach(function (n) { names.add(n); }); });
      return self._loadShards(Array.from(names).sort());
    });
    return Promise.all([this.init(), shards]).then(function () {
      if (terms.length) self._rank(terms, result);
      return result;
    });
  };

  Engine.prototype._rank = function (terms, result) {
    var self = this, n = this.meta.n, nt = terms.length, i, k, r;
    var per = terms.map(function (t) {
      var e = self._exact(t);
      return { term: t, exact: e, idf: self._idf(e.rids.length), partial: null };
    });
    // acc: summed weights; sat: terms satisfied (exactly or partially); ex: terms satisfied exactly.
    var acc = new Float64Array(n), sat = new Uint8Array(n), ex = new Uint8Array(n);
    per.forEach(function (p) {
      var e = p.exact;
      for (k = 0; k < e.rids.length; k++) {
        r = e.rids[k];
        acc[r] += self._bm25(r, e.tf[k], p.idf); sat[r]++; ex[r]++;
      }
    });
    var smallest = per.reduce(function (a, b) { return b.exact.rids.length < a.exact.rids.length ? b : a; });
    var exactCount = 0;
    for (i = 0; i < smallest.exact.rids.length; i++) if (ex[smallest.exact.rids[i]] === nt) exactCount++;
    // Partial hits only when exact ones are few: a term not found exactly may be found partially.
    if (exactCount < PARTIAL_BELOW) {
      per.forEach(function (p) {
        if (p.term.length < 3) return;
        p.partial = self._partial(p.term);
        var q = p.partial, e = p.exact;
        for (k = 0; k < q.rids.length; k++) {
          r = q.rids[k];
          if (findRow(e.rids, r) >= 0) continue;
          acc[r] += q.score[k]; sat[r]++;
        }
      });
    }
    // Candidates: rids satisfying every term, taken from the smallest term's lists, in record order.
    function size(p) { return p.exact.rids.length + (p.partial ? p.partial.rids.length : 0); }
    var base = per.reduce(function (a, b) { return size(b) < size(a) ? b : a; });
    var cand = base.exact.rids;
    if (base.partial && base.partial.rids.length) {
      cand = Int32Array.from(new Set(Array.from(base.exact.rids).concat(Array.from(base.partial.rids)))).sort();
    }
    var rids = [], score = [], group = [];
    for (i = 0; i < cand.length; i++) {
      var rid = cand[i];
      if (sat[rid] !== nt) continue;
      var allExact = ex[rid] === nt, kind = this._kind(rid);
      var s = acc[rid] * KIND_BOOST[kind];
      if (allExact && nt > 1 && this._adjacent(per, rid)) s *= ADJACENT_BONUS;
      rids.push(rid); score.push(s); group.push((allExact ? 0 : 2) + (kind === KIND_INDEX ? 1 : 0));
      if (allExact) result.exact++; else result.partial++;
    }
    result.rids = Int32Array.from(rids);
    result.score = Float64Array.from(score);
    result.group = Uint8Array.from(group);
    result.size = rids.length;
  };

  function findRow(rids, rid) {
    var lo = 0, hi = rids.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (rids[mid] < rid) lo = mid + 1; else if (rids[mid] > rid) hi = mid - 1; else return mid;
    }
    return -1;
  }

  // Every term follows the previous one within two characters (a multi-word query read as a phrase).
  // Terms of one character carry no positions and never count as adjacent.
  Engine.prototype._adjacent = function (per, rid) {
    for (var i = 1; i < per.length; i++) {
      var e1 = per[i - 1].exact, e2 = per[i].exact;
      if (!e1.offs || !e2.offs) return false;
      var r1 = findRow(e1.rids, rid), r2 = findRow(e2.rids, rid), len = per[i - 1].term.length, ok = false;
      for (var x = e1.offs[r1], y = e2.offs[r2]; x < e1.offs[r1 + 1] && !ok; x++) {
        while (y < e2.offs[r2 + 1] && e2.pos[y] < e1.pos[x] + len) y++;
        if (y < e2.offs[r2 + 1] && e2.pos[y] <= e1.pos[x] + len + 2) ok = true;
      }
      if (!ok) return false;
    }
    return true;
  };

  // Facet values of a record: {city: [..], year: [..], genre: [..], topic: [..]} (names).
  Engine.prototype.facetsOf = function (rid) {
    var f = this.meta.facets, p = this._pageOf(rid), out = {};
    ["city", "year", "genre"].forEach(function (name) {
      var v = this.pageFacet[name][p];
      out[name] = v >= 0 ? [f[name][v]] : [];
    }, this);
    out.topic = this.meta.topicsets[this._topicsOf(rid)].map(function (t) { return f.topic[t]; });
    return out;
  };

  // A selection ({facet: [value names]}) compiled to lookup tables: OR within a facet, AND across.
  Engine.prototype._compile = function (selection) {
    var meta = this.meta, out = { active: [] };
    FACETS.forEach(function (f) {
      var values = (selection && selection[f]) || [];
      if (!values.length) { out[f] = null; return; }
      var ids = new Set(values.map(function (v) { return meta.facets[f].indexOf(v); }));
      if (f === "topic") {
        out[f] = Uint8Array.from(meta.topicsets.map(function (ts) { return ts.some(function (t) { return ids.has(t); }) ? 1 : 0; }));
      } else {
        var table = new Uint8Array(meta.facets[f].length + 1);
        ids.forEach(function (id) { if (id >= 0) table[id + 1] = 1; });
        out[f] = table;
      }
      out.active.push(f);
    });
    return out;
  };

  // Which facets a record fails: a bit per facet (city 1, year 2, genre 4, topic 8).
  Engine.prototype._fails = function (sel, rid) {   // after _expand()
    var p = this.recPage[rid], bits = 0;
    if (sel.city && !sel.city[this.pageFacet.city[p] + 1]) bits |= 1;
    if (sel.year && !sel.year[this.pageFacet.year[p] + 1]) bits |= 2;
    if (sel.genre && !sel.genre[this.pageFacet.genre[p] + 1]) bits |= 4;
    if (sel.topic && !sel.topic[this.recTopics[rid]]) bits |= 8;
    return bits;
  };

  function better(result, a, b) {   // hit index a ranks before hit index b
    var ga = result.group[a], gb = result.group[b];
    if (ga !== gb) return ga < gb;
    var sa = result.score[a], sb = result.score[b];
    if (sa !== sb) return sa > sb;
    return result.rids[a] < result.rids[b];
  }

  // Hits ranked from `start`, `count` of them, among those the selection keeps: [{rid, exact, score}].
  // The first page is a selection of the best (no full sort); later pages sort the filtered hits once.
  Engine.prototype.top = function (result, selection, start, count) {
    var sel = this._compile(selection), key = JSON.stringify(selection || {}), order, i;
    var want = start + count;
    if (sel.active.length) this._expand();
    if (want <= 100 && !result._sorted.has(key)) {
      order = [];
      for (i = 0; i < result.size; i++) {
        if (sel.active.length && this._fails(sel, result.rids[i])) continue;
        if (order.length === want && !better(result, i, order[want - 1])) continue;
        var lo = 0, hi = order.length;
        while (lo < hi) { var mid = (lo + hi) >> 1; if (better(result, order[mid], i)) lo = mid + 1; else hi = mid; }
        order.splice(lo, 0, i);
        if (order.length > want) order.pop();
      }
    } else {
      order = result._sorted.get(key);
      if (!order) {
        order = [];
        for (i = 0; i < result.size; i++) if (!sel.active.length || !this._fails(sel, result.rids[i])) order.push(i);
        order.sort(function (a, b) { return better(result, a, b) ? -1 : better(result, b, a) ? 1 : 0; });
        result._sorted.set(key, order);
      }
    }
    return order.slice(start, want).map(function (h) {
      return { rid: result.rids[h], exact: result.group[h] < 2, score: result.score[h] };
    });
  };

  // Numbers of hits the selection keeps: {total, exact, partial}.
  Engine.prototype.count = function (result, selection) {
    var sel = this._compile(selection), out = { total: 0, exact: 0, partial: 0 };
    if (sel.active.length) this._expand();
    for (var i = 0; i < result.size; i++) {
      if (sel.active.length && this._fails(sel, result.rids[i])) continue;
      out.total++;
      if (result.group[i] < 2) out.exact++; else out.partial++;
    }
    return out;
  };

  // Counts per facet value, each facet counted with the other facets' selections applied:
  // {facet: [[value, count], ...]} by count, then value order (years newest first).
  Engine.prototype.facetCounts = function (result, selection) {
    var meta = this.meta, sel = this._compile(selection);
    this._expand();
    var counts = { city: new Int32Array(meta.facets.city.length + 1), year: new Int32Array(meta.facets.year.length + 1),
      genre: new Int32Array(meta.facets.genre.length + 1), topic: new Int32Array(meta.topicsets.length) };
    for (var i = 0; i < result.size; i++) {
      var rid = result.rids[i], fails = sel.active.length ? this._fails(sel, rid) : 0, p = this.recPage[rid];
      if (fails & (fails - 1)) continue;                     // fails two facets or more
      if (!fails || fails === 1) counts.city[this.pageFacet.city[p] + 1]++;
      if (!fails || fails === 2) counts.year[this.pageFacet.year[p] + 1]++;
      if (!fails || fails === 4) counts.genre[this.pageFacet.genre[p] + 1]++;
      if (!fails || fails === 8) counts.topic[this.recTopics[rid]]++;
    }
    var out = {};
    ["city", "year", "genre"].forEach(function (f) {
      var list = [];
      for (var v = 1; v < counts[f].length; v++) if (counts[f][v]) list.push([v - 1, counts[f][v]]);
      out[f] = list;
    });
    var topic = new Int32Array(meta.facets.topic.length);
    for (var t = 0; t < counts.topic.length; t++) {
      if (counts.topic[t]) meta.topicsets[t].forEach(function (x) { topic[x] += counts.topic[t]; });
    }
    out.topic = [];
    for (t = 0; t < topic.length; t++) if (topic[t]) out.topic.push([t, topic[t]]);
    FACETS.forEach(function (f) {
      out[f] = out[f].sort(function (x, y) { return (y[1] - x[1]) || (f === "year" ? y[0] - x[0] : x[0] - y[0]); })
        .map(function (e) { return [meta.facets[f][e[0]], e[1]]; });
    });
    return out;
  };

  Engine.prototype._chunkOf = function (rid) {
    return lastAtMost(this.chunkStart, rid, this.chunkStart.length);
  };

  // Display data of records: [{rid, src, title, anchor, heading, text, kind, city, year, genre, topic}].
  Engine.prototype.details = function (rids) {
    var self = this;
    var chunks = Array.from(new Set(rids.map(function (r) { return self._chunkOf(r); }))).sort(function (a, b) { return a - b; });
    return Promise.all(chunks.map(function (c) { return self.load("t/" + c); })).then(function (datas) {
      var byChunk = new Map();
      chunks.forEach(function (c, i) { byChunk.set(c, datas[i]); });
      return rids.map(function (rid) {
        var c = self._chunkOf(rid), data = byChunk.get(c), start = self.chunkStart[c];
        var row = data.r[rid - start], heading = row[1];
        for (var i = rid - start; heading === 0 && i > 0; i--) heading = data.r[i - 1][1];
        var page = data.d[String(self._pageOf(rid))], facets = self.facetsOf(rid);
        return {
          rid: rid, src: page[0], title: page[1], anchor: row[0], heading: heading || "", text: row[2],
          kind: ["title", "heading", "paragraph", "index"][self._kind(rid)],
          city: facets.city[0] || "", year: facets.year[0] || "", genre: facets.genre[0] || "", topic: facets.topic
        };
      });
    });
  };

  // Query variants for traditional input: OpenCC t2s (as the pipeline converted the sources), then
  // tw2s and hk2s (regional forms), then the query as typed. convert: {t, tw, hk} functions or null.
  function variants(query, convert) {
    var out = [];
    function add(q) { if (q && out.indexOf(q) < 0) out.push(q); }
    if (convert && HAN.test(query)) {
      ["t", "tw", "hk"].forEach(function (k) { if (convert[k]) add(convert[k](query)); });
    }
    add(query);
    return out;
  }

  // Whether an opencc-js conversion config (OpenCC.Locale.configs.t2s …) can change a text: only when a
  // character of the text begins a key of one of its dictionaries ("key value|key value|…"). Building a
  // converter costs 5-30 ms (its dictionaries become tries); a query it cannot change skips that.
  function canConvert(config, text) {
    var dicts = [];
    (function walk(x) {
      if (typeof x === "string") dicts.push(x);
      else if (Array.isArray(x)) x.forEach(walk);
      else if (x) dicts.push(null);               // another dictionary form: assume it may convert
    })([config.normalizationChain, config.segmentation, config.conversionChain]);
    for (var c of text) {
      for (var i = 0; i < dicts.length; i++) {
        if (dicts[i] === null || dicts[i].startsWith(c) || dicts[i].indexOf("|" + c) >= 0) return true;
      }
    }
    return false;
  }

  // Search the variants in order (each converted only when the previous ones found no exact hit); the
  // first with exact hits wins, else the first with any hit, else the first. The result carries
  // .variant (the query searched) and .typed.
  Engine.prototype.searchVariants = function (query, convert) {
    var self = this, tried = [], results = [];
    var steps = (convert && HAN.test(query)) ? ["t", "tw", "hk", null] : [null];
    function step(i) {
      if (i >= steps.length) return results.filter(function (r) { return r.size; })[0] || results[0];
      var q = steps[i] && convert[steps[i]] ? convert[steps[i]](query) : query;
      if (!q || tried.indexOf(q) >= 0) return step(i + 1);
      tried.push(q);
      return self.search(q).then(function (r) {
        r.variant = q;
        r.typed = query;
        results.push(r);
        return r.exact ? r : step(i + 1);
      });
    }
    return Promise.resolve(step(0));
  };

  // ------------------------------------------------------------------------------------------------
  // Highlighting: spans (UTF-16 [start, end)) of a text to mark for the terms. Exact occurrences of
  // each term; a term with none (a partial hit) marks its bigrams instead.
  function findSpans(text, terms) {
    var nm = normalizeMapped(text), chars = nm.chars, spans = [];
    terms.forEach(function (t) {
      var term = Array.from(t), found = false;
      function scan(piece) {
        var hit = false;
        for (var i = 0; i + piece.length <= chars.length; i++) {
          var ok = true;
          for (var j = 0; j < piece.length; j++) if (chars[i + j] !== piece[j]) { ok = false; break; }
          if (ok) { spans.push([nm.from[i], nm.to[i + piece.length - 1]]); hit = true; }
        }
        return hit;
      }
      found = scan(term);
      if (!found && term.length >= 3) for (var i = 0; i + 1 < term.length; i++) scan(term.slice(i, i + 2));
    });
    spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push([s[0], s[1]]);
    });
    return merged;
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function isLowSurrogate(code) { return code >= 0xdc00 && code <= 0xdfff; }

  // HTML of a passage: the whole text when short, else a window around the first hit; hits in <mark>.
  function snippetHtml(text, terms, maxLen) {
    maxLen = maxLen || 180;
    text = text.replace(/[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g, "").replace(/\s+/g, " ");
    var spans = findSpans(text, terms), start = 0, end = text.length;
    if (text.length > maxLen) {
      var first = spans.length ? spans[0][0] : 0;
      start = Math.max(0, Math.min(first - Math.floor(maxLen / 4), text.length - maxLen));
      end = Math.min(text.length, start + maxLen);
      if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--;
      if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
    }
    var html = start > 0 ? "…" : "", at = start;
    spans.forEach(function (s) {
      var a = Math.max(s[0], start), b = Math.min(s[1], end);
      if (a >= b) return;
      html += escapeHtml(text.slice(at, a)) + "<mark>" + escapeHtml(text.slice(a, b)) + "</mark>";
      at = b;
    });
    html += escapeHtml(text.slice(at, end)) + (end < text.length ? "…" : "");
    return html;
  }

  var api = {
    normalize: normalize, normalizeMapped: normalizeMapped, queryTerms: queryTerms, isWord: isWord,
    decodeNumbers: decodeNumbers, decodePosting: decodePosting, decodeCounts: decodeCounts, h32: h32, pageUrl: pageUrl,
    shardsOfChar: shardsOfChar, shardOfBigram: shardOfBigram, Engine: Engine, variants: variants,
    findSpans: findSpans, snippetHtml: snippetHtml, escapeHtml: escapeHtml, canConvert: canConvert
  };

  if (typeof module !== "undefined" && module.exports) { module.exports = api; return; }
  global.ArchiveSearch = api;
  if (typeof document === "undefined") return;

  // ================================================================================================
  // Browser.
  var registry = new Map();
  global.__searchIndex = function (name, data) { registry.set(name, typeof data === "string" ? JSON.parse(data) : data); };

  function scriptLoader(indexUrl) {
    var pending = new Map();
    return function (name) {
      if (!pending.has(name)) {
        pending.set(name, new Promise(function (resolve) {
          var s = document.createElement("script");
          s.src = indexUrl + name + ".js";
          s.async = true;
          s.onload = function () { resolve(registry.get(name) || null); s.remove(); };
          s.onerror = function () { resolve(null); s.remove(); };
          document.head.appendChild(s);
        }));
      }
      return pending.get(name);
    };
  }

  function loadScriptOnce(url) {
    return new Promise(function (resolve) {
      var s = document.createElement("script");
      s.src = url;
      s.onload = function () { resolve(true); };
      s.onerror = function () { resolve(false); };
      document.head.appendChild(s);
    });
  }

  // Settings come from the header box (partials/archive-search.html) or the results element.
  function settings() {
    var el = document.querySelector("[data-archive-search]") || document.querySelector("[data-archive-search-results]");
    if (!el) return null;
    var base = (el.getAttribute("data-base") || ".").replace(/\/$/, "");
    return {
      el: el,
      base: base,
      index: base + "/" + (el.getAttribute("data-index") || "search/"),
      opencc: el.getAttribute("data-opencc") || (base + "/assets/vendor/opencc-js/t2cn.js"),
      directoryUrls: el.getAttribute("data-directory-urls") !== "false",
      resultsPage: el.hasAttribute("data-results-page") || !!document.querySelector("[data-archive-search-results]")
    };
  }

  function params() { return new URLSearchParams(global.location.search); }

  // ----- header box ---------------------------------------------------------------------------------
  function setupHeader(conf) {
    var form = document.querySelector("[data-archive-search] form");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var toggle = document.getElementById("__search");
    var q = params().get("q");
    if (q && document.querySelector("[data-archive-search-results]")) input.value = q;
    form.addEventListener("submit", function (event) {
      if (!input.value.trim()) { event.preventDefault(); input.focus(); }
    });
    if (toggle) {
      input.addEventListener("focus", function () { toggle.checked = true; });
      input.addEventListener("blur", function () { toggle.checked = false; });
      toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
    }
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.blur(); }
    });
    document.addEventListener("keydown", function (event) {
      var t = event.target;
      if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      if (event.key === "/" || event.key === "s" || event.key === "S") { event.preventDefault(); input.focus(); input.select(); }
    });
  }

  // ----- landing page: ?h= terms highlighted in the target anchor, scrolled into view ------------------
  function highlightElement(root, terms) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var p = node.parentNode;
        if (!p || /^(SCRIPT|STYLE|NOSCRIPT|TEXTAREA)$/.test(p.nodeName)) return NodeFilter.FILTER_REJECT;
        if (p.closest && p.closest(".headerlink")) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [], offsets = [], text = "", node;
    while ((node = walker.nextNode())) { nodes.push(node); offsets.push(text.length); text += node.nodeValue; }
    var spans = findSpans(text, terms), marks = [];
    // Wrap from the end so earlier offsets stay valid; a span crossing nodes gets one mark per node.
    for (var s = spans.length - 1; s >= 0; s--) {
      for (var n = nodes.length - 1; n >= 0; n--) {
        var a = Math.max(spans[s][0], offsets[n]), b = Math.min(spans[s][1], offsets[n] + nodes[n].nodeValue.length);
        if (a >= b) continue;
        var target = nodes[n];
        var after = target.splitText(b - offsets[n]);
        var middle = target.splitText(a - offsets[n]);
        var mark = document.createElement("mark");
        mark.className = "archive-search-hit";
        middle.parentNode.replaceChild(mark, middle);
        mark.appendChild(middle);
        marks.unshift(mark);
        nodes[n] = target;  // text before the mark; offsets of this node unchanged
        void after;
      }
    }
    return marks;
  }

  function landingHighlight() {
    var h = params().get("h");
    if (!h) return;
    var terms = queryTerms(h).map(function (t) { return t.join(""); });
    if (!terms.length) return;
    var id = "";
    try { id = decodeURIComponent(global.location.hash.slice(1)); } catch (e) { id = global.location.hash.slice(1); }
    var target = id ? document.getElementById(id) : null;
    var marks = target ? highlightElement(target, terms) : [];
    if (!marks.length) {
      var article = document.querySelector("article.md-content__inner") || document.querySelector(".md-content") || document.body;
      marks = highlightElement(article, terms);
    }
    if (target) target.classList.add("archive-search-target");
    var first = marks[0] || target;
    if (first) {
      var scroll = function () { first.scrollIntoView({ block: "center" }); };
      scroll();
      global.requestAnimationFrame(scroll);  // after the browser's own jump to the fragment
    }
    document.documentElement.setAttribute("data-archive-search-landed", String(marks.length));
  }

  // ----- results page -------------------------------------------------------------------------------
  var FACET_LABEL = { city: "地方", year: "年份", genre: "体裁", topic: "主题" };
  var PAGE_SIZE = 20;
  var FIRST_BATCH = 5;

  function readSelection(ps) {
    var sel = {};
    FACETS.forEach(function (f) { sel[f] = ps.getAll(f).filter(Boolean); });
    return sel;
  }

  // What a results page can start before its results element is parsed: the index files and the
  // converter for the query of ?q= (search.js runs early on that page: partials/archive-search.html).
  function prepare(conf) {
    var started = global.performance ? performance.now() : 0;
    var query = (params().get("q") || "").trim();
    var engine = new Engine(scriptLoader(conf.index));
    if (!query) { engine.init(); return { started: started, query: query, engine: engine, converters: null }; }
    engine.prefetch(query);
    engine.init();
    // OpenCC (vendored t2cn build) only when the query has Han characters; loaded beside the index.
    var converters = HAN.test(query) ? loadScriptOnce(conf.opencc).then(function (ok) {
      if (!ok || !global.OpenCC) return null;
      var made = {}, configs = (global.OpenCC.Locale && global.OpenCC.Locale.configs) || {};
      function lazy(from) {   // a converter is built on first use (tw and hk only when t2s found nothing)
        return function (text) {
          var config = configs[from + "2s"];
          if (config && !canConvert(config, text)) return text;
          if (!made[from]) made[from] = global.OpenCC.Converter({ from: from, to: "cn" });
          return made[from](text);
        };
      }
      return { t: lazy("t"), tw: lazy("tw"), hk: lazy("hk") };
    }) : Promise.resolve(null);
    return { started: started, query: query, engine: engine, converters: converters };
  }

  function resultsPage(conf, root, prepared) {
    var started = prepared.started, query = prepared.query, engine = prepared.engine;
    var converters = prepared.converters, selection = readSelection(params());
    root.innerHTML =
      '<form class="archive-search__form" role="search" aria-label="搜索结果页的检索框" method="get">' +
      '<input class="archive-search__input" type="search" name="q" aria-label="搜索" placeholder="输入词语或短语，多个词以空格分隔" autocomplete="off">' +
      '<button class="md-button md-button--primary archive-search__submit" type="submit">搜索</button></form>' +
      '<p class="archive-search__status" role="status" aria-live="polite"></p>' +
      '<div class="archive-search__facets"></div><ol class="archive-search__list"></ol>' +
      '<button class="md-button archive-search__more" type="button" hidden>显示更多</button>';
    var input = root.querySelector(".archive-search__input");
    var status = root.querySelector(".archive-search__status");
    var facetsEl = root.querySelector(".archive-search__facets");
    var list = root.querySelector(".archive-search__list");
    var more = root.querySelector(".archive-search__more");
    input.value = query;
    root.setAttribute("data-state", "loading");
    if (!query) {
      status.textContent = "请输入要查找的词语或短语。";
      root.setAttribute("data-state", "empty");
      return;
    }
    status.textContent = "正在搜索…";
    document.title = query + " - " + document.title;

    var result = null, shown = 0, counts = null;
    var now = function () { return global.performance ? performance.now() : 0; };
    var marks = { start: started };

    function link(d) {
      var url = conf.base + "/" + pageUrl(d.src, conf.directoryUrls);
      url += "?h=" + encodeURIComponent(result.terms.join(" "));
      if (d.anchor) url += "#" + encodeURIComponent(d.anchor);
      return url;
    }

    function renderItems(hits, details) {
      details.forEach(function (d, i) {
        var hit = hits[i];
        var li = document.createElement("li");
        li.className = "archive-search__result" + (hit.exact ? "" : " archive-search__result--partial");
        li.setAttribute("data-rid", String(d.rid));
        var meta = [d.city, d.year, d.genre].filter(Boolean).map(escapeHtml);
        if (d.heading && d.kind !== "heading" && d.heading !== d.title) meta.push("§ " + escapeHtml(d.heading));
        li.innerHTML =
          '<a class="archive-search__link" href="' + escapeHtml(link(d)) + '">' +
          '<span class="archive-search__title">' + escapeHtml(d.title) + "</span>" +
          (hit.exact ? "" : '<span class="archive-search__badge">部分匹配</span>') +
          (d.kind === "index" ? '<span class="archive-search__badge">索引页</span>' : "") +
          '<span class="archive-search__meta">' + meta.join(" · ") + "</span>" +
          '<span class="archive-search__passage">' + snippetHtml(d.text, result.terms) + "</span></a>";
        list.appendChild(li);
      });
    }

    // The next page of results; the first few are shown as soon as their passages are loaded.
    function showMore() {
      var batch = engine.top(result, selection, shown, PAGE_SIZE);
      shown += batch.length;
      more.hidden = shown >= counts.total;
      var head = shown === batch.length ? batch.slice(0, FIRST_BATCH) : batch, tail = batch.slice(head.length);
      function show(hits) {
        return engine.details(hits.map(function (h) { return h.rid; })).then(function (d) { renderItems(hits, d); });
      }
      return show(head).then(function () {
        if (!marks.first) marks.first = now();
        return tail.length ? show(tail) : null;
      });
    }

    function writeUrl() {
      var p = new URLSearchParams();
      p.set("q", query);
      FACETS.forEach(function (f) { selection[f].forEach(function (v) { p.append(f, v); }); });
      try { global.history.replaceState(null, "", "?" + p.toString() + global.location.hash); } catch (e) { /* ignore */ }
    }

    function renderFacets() {
      var facetCounts = engine.facetCounts(result, selection), html = "";
      FACETS.forEach(function (f) {
        var entries = facetCounts[f];
        if (!entries.length && !selection[f].length) return;
        html += '<div class="archive-search__facet" data-facet="' + f + '"><span class="archive-search__facet-label">' + FACET_LABEL[f] + "</span>";
        var present = entries.map(function (e) { return e[0]; });
        selection[f].forEach(function (v) { if (present.indexOf(v) < 0) entries.push([v, 0]); });
        entries.forEach(function (e) {
          var on = selection[f].indexOf(e[0]) >= 0;
          html += '<button type="button" class="archive-search__chip" aria-pressed="' + on + '" data-facet="' + f +
            '" data-value="' + escapeHtml(e[0]) + '">' + escapeHtml(e[0]) + ' <span class="archive-search__count">' + e[1] + "</span></button>";
        });
        html += "</div>";
      });
      facetsEl.innerHTML = html;
    }

    function render() {
      counts = engine.count(result, selection);
      var exact = counts.exact, partial = counts.partial;
      var q = "“" + escapeHtml(result.variant) + "”";
      var note = result.variant !== result.typed ? "（按简体“" + escapeHtml(result.variant) + "”查找，原输入“" + escapeHtml(result.typed) + "”）" : "";
      var filteredNote = counts.total < result.size ? "（已按所选条件筛选，共 " + result.size + " 段）" : "";
      if (!result.size) {
        status.innerHTML = "没有找到包含" + q + "的段落。" + note + "请检查用字，或减少词语再试。";
        root.setAttribute("data-state", "none");
      } else if (!counts.total) {
        status.innerHTML = "所选条件下没有结果" + filteredNote + "。";
      } else if (exact) {
        status.innerHTML = "找到 " + exact + " 段包含" + q + "的文字" + (partial ? "，另有 " + partial + " 段部分匹配" : "") + "。" + note + filteredNote;
      } else {
        status.innerHTML = "没有段落包含完整的" + q + "；以下 " + partial + " 段部分匹配。" + note + filteredNote;
      }
      list.innerHTML = "";
      shown = 0;
      more.hidden = true;
      // The facets are counted over every hit: after the first results are on screen.
      return showMore().then(function () {
        renderFacets();
        if (result.size) root.setAttribute("data-state", "done");
      });
    }

    facetsEl.addEventListener("click", function (event) {
      var chip = event.target.closest(".archive-search__chip");
      if (!chip) return;
      var f = chip.getAttribute("data-facet"), v = chip.getAttribute("data-value"), i = selection[f].indexOf(v);
      if (i >= 0) selection[f].splice(i, 1); else selection[f].push(v);
      writeUrl();
      render();
    });
    more.addEventListener("click", showMore);

    engine.init().then(function () { marks.meta = now(); });
    converters.then(function () { marks.opencc = now(); });
    Promise.all([engine.init(), converters]).then(function (both) {
      return engine.searchVariants(query, both[1]);
    }).then(function (r) {
      marks.search = now();
      result = r;
      return render();
    }).then(function () {
      var timing = { firstResult: marks.first || now(), done: now(), marks: marks, hits: result.size, exact: result.exact };
      global.__archiveSearchTiming = timing;
      root.setAttribute("data-first-result-ms", String(Math.round(timing.firstResult)));
    }).catch(function (err) {
      status.textContent = "搜索索引无法加载：" + err.message;
      root.setAttribute("data-state", "error");
    });
  }

  // Calls fn(element) once an element matching the selector is in the document (while the page is
  // parsed: a MutationObserver), or not at all.
  function whenElement(selector, fn) {
    var el = document.querySelector(selector);
    if (el || document.readyState !== "loading") { if (el) fn(el); return; }
    var observer = new MutationObserver(function () {
      var found = document.querySelector(selector);
      if (found) { observer.disconnect(); fn(found); }
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", function () {
      observer.disconnect();
      var found = document.querySelector(selector);
      if (found && !found.hasAttribute("data-state")) fn(found);
    });
  }

  function whenParsed(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function start() {
    var conf = settings();
    if (conf) setupHeader(conf);
    // The results page (the header box says so) loads its index at once; the results element (empty in
    // search.md) is filled as soon as it is parsed.
    if (conf && conf.resultsPage) {
      var prepared = prepare(conf);
      whenElement("[data-archive-search-results]", function (root) { resultsPage(conf, root, prepared); });
      whenParsed(landingHighlight);
    } else {
      landingHighlight();   // at the end of <body>: the article is parsed
    }
  }

  // On the results page this file is an async script right after the header box (it starts while the
  // page is parsed); elsewhere it is loaded at the end of <body>. Either way the header box is parsed.
  if (document.readyState !== "loading" || document.querySelector("[data-archive-search]")) start();
  else document.addEventListener("DOMContentLoaded", start);
})(typeof window !== "undefined" ? window : this);
