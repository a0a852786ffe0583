// The emendations in the text (build_tools/publish/page.py): each mark is focusable (tabindex="0",
// role="note") and its title names the original reading. CSS shows that text beside the mark while it has
// the focus (keyboard), without any script; here a click or tap opens it too (and closes it again), and
// Escape closes it. A button in the note above the text shows every emendation's original reading in place
// (and back): corrected characters become the source's characters, deleted reading annotations reappear.
// Without JavaScript the originals are still on focus and hover (title) and in the 校勘记.
(function () {
  "use strict";
  var note = document.querySelector(".emendation-note");
  var spans = document.querySelectorAll(".emendation[data-original]");
  if (!note || !spans.length) return;

  function closeAll(except) {
    var open = document.querySelectorAll(".emendation.emendation-open");
    for (var i = 0; i < open.length; i++) if (open[i] !== except) open[i].classList.remove("emendation-open");
  }
  document.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest(".emendation[title]");
    closeAll(mark);
    if (mark) mark.classList.toggle("emendation-open");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var mark = document.activeElement;
    closeAll(null);
    if (mark && mark.classList && mark.classList.contains("emendation")) mark.blur();
  });

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
