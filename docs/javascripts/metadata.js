// The metadata table of a document page is written inside <details class="metadata" open> (so it shows
// without JavaScript and when printed). On a phone-width screen it is folded once the page loads: the
// summary line keeps the genre, place and date, and a tap opens the table.
(function () {
  "use strict";
  var PHONE = "(max-width: 44.984375em)"; // Material's breakpoint below which the layout is one column
  function fold() {
    if (!window.matchMedia || !window.matchMedia(PHONE).matches) return;
    var blocks = document.querySelectorAll("details.metadata[open]");
    for (var i = 0; i < blocks.length; i++) blocks[i].removeAttribute("open");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fold);
  else fold();
})();
