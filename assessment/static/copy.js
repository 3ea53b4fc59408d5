// Copy buttons for private links. Without this script the buttons stay hidden and the links are
// plain read-only text fields to select and copy by hand.
(function () {
  "use strict";
  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text, done); });
    } else {
      fallback(text, done);
    }
  }
  function fallback(text, done) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "sr-only";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays selectable */ }
    document.body.removeChild(area);
    done();
  }
  var status = document.getElementById("copy-status");
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var ids = button.getAttribute("data-copy").split(" ");
      var named = ids.length > 1;
      var text = ids.map(function (id) {
        var field = document.getElementById(id);
        if (!field) { return ""; }
        return (named ? field.getAttribute("data-name") + ": " : "") + field.value;
      }).join("\n");
      copyText(text, function () {
        if (status) { status.textContent = button.getAttribute("data-done") || ""; }
        button.setAttribute("data-copied", "1");
      });
    });
  });
}());
