// Workshop mode: n / p / d follow the Next / Previous / Next disagreement links.
// Progressive enhancement only: the links work without this script.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable)) {
      return;
    }
    var key = (event.key || "").toLowerCase();
    if (key !== "n" && key !== "p" && key !== "d") { return; }
    var link = document.querySelector('.workshop-nav a[data-key="' + key + '"]');
    if (link) {
      event.preventDefault();
      window.location.href = link.href;
    }
  });
}());
