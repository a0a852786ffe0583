// A button in the note above the text shows every emendation's original reading in place (and back):
// corrected characters become the source's characters, deleted reading annotations reappear. Without
// JavaScript the originals are still on hover (title) and in the 校勘记.
(function () {
  "use strict";
  var note = document.querySelector(".emendation-note");
  var spans = document.querySelectorAll(".emendation[data-original]");
  if (!note || !spans.length) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "md-button emendation-toggle";
  button.textContent = "显示原文";
  button.setAttribute("aria-pressed", "false");
  button.addEventListener("click", function () {
    var showing = button.getAttribute("aria-pressed") !== "true";
    spans.forEach(function (span) {
      if (showing) {
        span.dataset.corrected = span.textContent;
        span.textContent = span.dataset.original;
      } else {
        span.textContent = span.dataset.corrected || "";
      }
      span.classList.toggle("showing-original", showing);
    });
    button.setAttribute("aria-pressed", String(showing));
    button.textContent = showing ? "显示校改" : "显示原文";
  });
  note.appendChild(document.createTextNode(" "));
  note.appendChild(button);
})();
