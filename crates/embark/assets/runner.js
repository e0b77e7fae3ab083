// Embark: the meeting runner's clocks and keyboard shortcuts. The page works without
// it (buttons post forms; the server computes the warning at each load).
(function () {
  "use strict";
  var root = document.getElementById("runner");
  if (!root) return;
  var num = function (k) { return Number(root.getAttribute("data-" + k)) || 0; };
  var started = num("started"), stepStarted = num("step-started");
  // The server's clock, not the browser's: the offset between them is measured once.
  var skew = (num("now") || Date.now()) - Date.now();
  var planned = num("planned") + num("extended"), stepMinutes = num("step-minutes"), after = num("remaining-after");
  var stepClock = document.getElementById("step-clock"), meetingClock = document.getElementById("meeting-clock");
  var warning = document.getElementById("runner-warning");
  function fmt(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  // The same rule as the server's (core::meeting::read): a step over its timebox is a
  // warning; a projected end past the planned end is a stronger one.
  function tick() {
    if (!started || !stepClock) return;
    var now = Date.now() + skew;
    var stepMs = now - stepStarted, stepBox = stepMinutes * 60000;
    stepClock.textContent = fmt(stepMs);
    meetingClock.textContent = fmt(now - started);
    var projected = now + Math.max(0, stepBox - stepMs) + after * 60000;
    var late = projected > started + planned * 60000;
    var over = stepMs > stepBox;
    root.setAttribute("data-warning", late ? "late" : over ? "step" : "none");
    if (warning) {
      warning.hidden = !(late || over);
      warning.textContent = late ? root.getAttribute("data-late") : over ? root.getAttribute("data-step-over") : "";
    }
  }
  tick();
  setInterval(tick, 1000);
  var sent = false;
  function click(id) {
    var b = document.getElementById(id);
    // One key press, one move: the page is leaving once a form is sent.
    if (b && !b.disabled && !sent) {
      sent = true;
      b.click();
    }
  }
  function shortcut(e) {
    if (e.target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) return null;
    if (e.key === "ArrowRight" || e.key === "n") return "next-step";
    if (e.key === "ArrowLeft" || e.key === "p") return "previous-step";
    if (e.key === "t") return "tick";
    return null;
  }
  // The key is acted on when released: a press acts once, even when the page it
  // opens comes up while the key is still down.
  document.addEventListener("keydown", function (e) {
    if (shortcut(e)) e.preventDefault();
  });
  document.addEventListener("keyup", function (e) {
    var what = shortcut(e);
    if (!what) return;
    e.preventDefault();
    if (what === "tick") {
      var t = document.querySelector(".js-tick");
      if (t && !sent) { sent = true; t.click(); }
    } else {
      click(what);
    }
  });
})();
