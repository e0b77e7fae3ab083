// Embark: the meeting runner's clocks and keyboard shortcuts. The page works without
// it (buttons post forms; the server computes the warning at each load).
(function () {
  "use strict";
  var root = document.getElementById("runner");
  if (!root) return;
  var num = function (k) { return Number(root.getAttribute("data-" + k)) || 0; };
  var started = num("started"), stepStarted = num("step-started");
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
    var now = Date.now();
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
  document.addEventListener("keydown", function (e) {
    // A held key repeats, and may carry over to the next page: one press, one action.
    if (e.repeat || e.target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "ArrowRight" || e.key === "n") { e.preventDefault(); click("next-step"); }
    else if (e.key === "ArrowLeft" || e.key === "p") { e.preventDefault(); click("previous-step"); }
    else if (e.key === "t") {
      var t = document.querySelector(".js-tick");
      if (t) { e.preventDefault(); t.click(); }
    }
  });
})();
