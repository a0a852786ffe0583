// GB/T 7714 wants the date the reader accessed the page ([引用日期]). The built page stays the same for
// everyone (deterministic builds), so the reader's browser fills in today's date; without JavaScript the
// placeholder stays and the note under the citation asks the reader to fill it in.
(function () {
  "use strict";
  var code = document.getElementById("cite-gbt7714");
  if (!code) return;
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  code.textContent = code.textContent.replace("[引用日期]", "[" + today + "]");
})();
