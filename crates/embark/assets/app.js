// Embark: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Phones: the sections fold under a Menu button (without this file they stay open).
  var toggle = document.querySelector(".nav-toggle");
  if (toggle) {
    toggle.hidden = false;
    document.documentElement.classList.add("nav-folds");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.closest(".topbar").classList.toggle("nav-open", open);
    });
  }
  // Ask before destructive actions marked with data-confirm.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // Print buttons (the report).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
  // Select a freshly created token on click, to copy it easily.
  document.addEventListener("click", function (event) {
    var code = event.target.closest("#new-token");
    if (code && window.getSelection) {
      var range = document.createRange();
      range.selectNodeContents(code);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }
  });
})();
