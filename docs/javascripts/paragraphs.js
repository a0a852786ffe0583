// Every paragraph of a document page carries a stable id p1…pN (build_tools/publish/page.py). This script
// shows its number as a permalink in the margin, with two buttons: copy the paragraph's stable link, and copy
// a GB/T 7714 citation of the paragraph (the page's citation, its URL ending in #pN, today's access date).
// The stable URL comes from the 引用本文 block (data-url), so an offline copy cites the online address.
(function () {
  "use strict";
  var cite = document.querySelector(".archive-citation[data-url]");
  if (!cite) return;
  var url = cite.getAttribute("data-url");
  var gbt = cite.getAttribute("data-gbt7714") || "";
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var now = new Date();
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());

  function copy(text, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = "已复制";
      button.classList.add("copied");
      setTimeout(function () { button.textContent = label; button.classList.remove("copied"); }, 1500);
    };
    var fallback = function () {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "para-copy-buffer";
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); } catch (e) { /* the text stays selectable */ }
      document.body.removeChild(area);
      done();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  function citation(n) {
    return gbt.replace("[引用日期]", "[" + today + "]").replace(url, url + "#p" + n)
      .replace(/\.$/, "") + "（第 " + n + " 段）.";
  }

  document.querySelectorAll("article p[id]").forEach(function (p) {
    var match = /^p(\d+)$/.exec(p.id);
    if (!match) return;
    var n = match[1];
    p.classList.add("para");
    var tools = document.createElement("span");
    tools.className = "para-tools";
    var link = document.createElement("a");
    link.className = "para-num";
    link.href = "#p" + n;
    link.textContent = n;
    link.setAttribute("aria-label", "第 " + n + " 段（本段链接）");
    link.title = "第 " + n + " 段：" + url + "#p" + n;
    var copyLink = document.createElement("button");
    copyLink.type = "button";
    copyLink.className = "para-copy para-copy-link";
    copyLink.textContent = "复制链接";
    copyLink.setAttribute("aria-label", "复制第 " + n + " 段的链接");
    copyLink.addEventListener("click", function () { copy(url + "#p" + n, copyLink); });
    var copyCite = document.createElement("button");
    copyCite.type = "button";
    copyCite.className = "para-copy para-copy-cite";
    copyCite.textContent = "复制引用";
    copyCite.setAttribute("aria-label", "复制第 " + n + " 段的引用");
    copyCite.addEventListener("click", function () { copy(citation(n), copyCite); });
    tools.appendChild(link);
    tools.appendChild(copyLink);
    tools.appendChild(copyCite);
    p.insertBefore(tools, p.firstChild);
  });
})();
