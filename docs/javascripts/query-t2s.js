// Search queries typed in traditional characters (組織, 經區大講堂) find the simplified text: the query is
// converted character by character (window.__t2s, generated from OpenCC at build time) before Material's
// search reads it. Material reads the query on keyup and on focus; these listeners run in the capture
// phase on window, so they see the event first. Nothing is converted while an IME is composing.
(function () {
  "use strict";
  var table = null;

  function lookup() {
    if (!table && window.__t2s) {
      table = new Map();
      var from = Array.from(window.__t2s.t), to = Array.from(window.__t2s.s);
      for (var i = 0; i < from.length; i++) table.set(from[i], to[i]);
    }
    return table;
  }

  function toSimplified(text) {
    var map = lookup();
    if (!map) return text;
    return Array.from(text, function (c) { return map.get(c) || c; }).join("");
  }

  function convertQuery(event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.getAttribute("data-md-component") !== "search-query")
      return;
    if (event.isComposing) return;
    var simplified = toSimplified(input.value);
    if (simplified === input.value) return;
    var start = input.selectionStart, end = input.selectionEnd;  // one character for one: positions hold
    input.value = simplified;
    input.setSelectionRange(start, end);
  }

  window.__toSimplified = toSimplified;
  ["keyup", "focus", "input", "compositionend"].forEach(function (name) {
    window.addEventListener(name, convertQuery, true);
  });
})();
