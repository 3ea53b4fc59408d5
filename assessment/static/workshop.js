// Workshop mode for a projector: n / p / d follow the Next / Previous / Next disagreement
// links, 0–4 choose the agreed level, f toggles full screen, Escape leaves the workshop.
// Progressive enhancement only: the links and the form work without this script.
(function () {
  "use strict";
  function toggleFullscreen() {
    if (document.fullscreenElement) {
      if (document.exitFullscreen) { document.exitFullscreen(); }
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () { /* refused: stay */ });
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("fullscreen");
    if (button && document.documentElement.requestFullscreen) {
      button.hidden = false;
      button.addEventListener("click", toggleFullscreen);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable)) {
      return;
    }
    var key = (event.key || "").toLowerCase();
    if (key === "f") {
      event.preventDefault();
      toggleFullscreen();
      return;
    }
    if (/^[0-4]$/.test(key)) {
      var radio = document.getElementById("agreed-" + key);
      if (radio && !radio.disabled) {
        event.preventDefault();
        radio.checked = true;
        radio.focus();
      }
      return;
    }
    if (key === "escape" && document.fullscreenElement) { return; }  // the browser leaves full screen
    var link = null;
    if (key === "n" || key === "p" || key === "d") {
      link = document.querySelector('.workshop-nav a[data-key="' + key + '"]');
    } else if (key === "escape") {
      link = document.querySelector('.workshop-bar a[data-key="escape"]');
    }
    if (link) {
      event.preventDefault();
      window.location.href = link.href;
    }
  });
}());
