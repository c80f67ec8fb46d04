// Progressive help for the sentence sources: Escape hides the open one (WCAG 1.4.13).
// Every page works without this script.
"use strict";
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  var active = document.activeElement;
  var sentence = active && active.closest ? active.closest(".s") : null;
  if (sentence) {
    sentence.classList.add("closed");
  }
});
document.addEventListener("focusin", function (event) {
  var sentence = event.target && event.target.closest ? event.target.closest(".s") : null;
  document.querySelectorAll(".s.closed").forEach(function (node) {
    if (node !== sentence) node.classList.remove("closed");
  });
});
document.addEventListener("mouseover", function (event) {
  var sentence = event.target && event.target.closest ? event.target.closest(".s.closed") : null;
  if (sentence && sentence !== document.activeElement) sentence.classList.remove("closed");
});
