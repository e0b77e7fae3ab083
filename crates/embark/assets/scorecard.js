// Embark: live co-writing of the scorecard. The page works without this file (one
// form, saved as a whole); with it, each field is saved on its own as you type, with
// the version it was read at, and the other party's edits arrive within a second
// over Server-Sent Events. An edit made on a stale version is a conflict shown here:
// nothing is overwritten silently.
(function () {
  "use strict";
  var form = document.getElementById("scorecard-form");
  if (!form) return;
  var id = form.getAttribute("data-engagement");
  var editable = form.getAttribute("data-editable") === "1";
  var dirty = {};
  var timers = {};
  // Fields whose save is on its way: their own echo on the live stream is ignored
  // (the answer to the save brings the new version).
  var pending = {};
  var banner = document.getElementById("live-banner");

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)embark_csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function fieldset(name) {
    return form.querySelector('fieldset[data-field="' + name + '"]');
  }
  // data-settled="yes" once every edit is saved (for people reading the page with
  // assistive tools, and for the browser tests that wait for it instead of sleeping).
  function mark() {
    var busy = function (o) { return Object.keys(o).some(function (k) { return o[k]; }); };
    form.setAttribute("data-settled", busy(dirty) || busy(pending) ? "no" : "yes");
  }
  function status(fs, text, cls) {
    mark();
    var p = fs.querySelector(".field-status");
    p.textContent = text;
    p.className = "field-status small " + (cls || "muted");
  }
  // A value the server refused marks the field's controls invalid until it is saved.
  function invalid(fs, yes) {
    fs.querySelectorAll("input:not([type=hidden]), textarea").forEach(function (el) {
      if (yes) el.setAttribute("aria-invalid", "true");
      else el.removeAttribute("aria-invalid");
    });
  }
  function setVersion(fs, v) {
    fs.setAttribute("data-version", String(v));
    var hidden = fs.querySelector('input[type="hidden"]');
    if (hidden) hidden.value = String(v);
  }
  function read(fs) {
    var kind = fs.getAttribute("data-kind");
    if (kind === "outcomes") {
      var rows = [];
      fs.querySelectorAll(".outcome-row").forEach(function (li) {
        var i = li.querySelectorAll("textarea, input");
        rows.push({ text: i[0].value, measure: i[1].value });
      });
      return rows;
    }
    var el = fs.querySelector("input:not([type=hidden]), textarea");
    if (kind === "list") return el.value.split("\n");
    return el.value;
  }
  // A row of the outcomes list, labelled like the rows the server rendered.
  function outcomeRow(o, labels, describedBy) {
    var li = document.createElement("li");
    li.className = "outcome-row";
    // The outcome in a text area (it is often a sentence: nothing of it is cut), its measure on a line.
    ["text", "measure"].forEach(function (k, n) {
      var input = document.createElement(n === 0 ? "textarea" : "input");
      if (n === 0) input.rows = 2;
      input.name = n === 0 ? "outcome_text" : "outcome_measure";
      input.value = o[k] || "";
      input.readOnly = !editable;
      input.placeholder = labels[n];
      input.setAttribute("aria-label", labels[n]);
      if (describedBy) input.setAttribute("aria-describedby", describedBy);
      li.appendChild(input);
    });
    return li;
  }
  function write(fs, value) {
    var kind = fs.getAttribute("data-kind");
    if (kind === "outcomes") {
      // In place: the inputs stay the same elements, so focus and caret stay put.
      var ol = fs.querySelector("ol");
      var labels = [ol.getAttribute("data-outcome"), ol.getAttribute("data-measure")];
      var rows = (value || []).slice();
      var spare = editable ? 2 : 0;
      var lis = ol.querySelectorAll(".outcome-row");
      for (var i = 0; i < Math.max(lis.length, rows.length + spare); i++) {
        var li = lis[i];
        if (!li) {
          li = outcomeRow({}, labels, ol.getAttribute("data-describedby"));
          ol.appendChild(li);
        }
        var inputs = li.querySelectorAll("textarea, input");
        var o = rows[i] || { text: "", measure: "" };
        inputs[0].value = o.text || "";
        inputs[1].value = o.measure || "";
      }
      return;
    }
    var el = fs.querySelector("input:not([type=hidden]), textarea");
    el.value = Array.isArray(value) ? value.join("\n") : value;
  }

  function save(name) {
    var fs = fieldset(name);
    if (!fs || !dirty[name]) return;
    dirty[name] = false;
    pending[name] = true;
    status(fs, form.getAttribute("data-saving"));
    fetch("/engagements/" + id + "/scorecard/fields/" + name, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf() },
      body: JSON.stringify({ value: read(fs), based_on: Number(fs.getAttribute("data-version")) })
    }).then(function (res) {
      return res.json().then(function (body) { return { code: res.status, body: body }; });
    }).then(function (r) {
      pending[name] = false;
      if (r.code === 200) {
        setVersion(fs, r.body.version);
        invalid(fs, false);
        status(fs, form.getAttribute("data-saved"), "ok-text");
      } else if (r.code === 409) {
        // Not saved: the field is in conflict, not "saving…" any more.
        status(fs, form.getAttribute("data-conflict"), "late-text");
        conflict(fs, name, r.body);
      } else {
        var msg = r.body && (r.body.errors && r.body.errors.length ? r.body.errors.map(function (e) { return e.message; }).join(" ") : r.body.detail);
        invalid(fs, true);
        status(fs, msg || String(r.code), "late-text");
      }
    }).catch(function () {
      pending[name] = false;
      dirty[name] = true;
      mark();
      status(fs, form.getAttribute("data-reload"), "late-text");
    });
  }

  // Someone else saved this field first: show what they wrote, let the writer choose.
  function conflict(fs, name, body) {
    var old = fs.querySelector(".conflict");
    if (old) old.remove();
    var box = document.createElement("div");
    box.className = "conflict";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = body.message;
    var theirs = document.createElement("pre");
    theirs.className = "theirs";
    var v = body.value;
    theirs.textContent = Array.isArray(v) ? v.map(function (x) { return typeof x === "string" ? x : x.text + " — " + x.measure; }).join("\n") : v;
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "button small";
    keep.textContent = form.getAttribute("data-keep-mine");
    keep.addEventListener("click", function () {
      setVersion(fs, body.version);
      dirty[name] = true;
      mark();
      box.remove();
      save(name);
    });
    var take = document.createElement("button");
    take.type = "button";
    take.className = "button small";
    take.textContent = form.getAttribute("data-take-theirs");
    take.addEventListener("click", function () {
      setVersion(fs, body.version);
      write(fs, body.value);
      box.remove();
      status(fs, "");
    });
    box.appendChild(p);
    box.appendChild(theirs);
    box.appendChild(keep);
    box.appendChild(take);
    fs.appendChild(box);
  }

  if (editable) {
    var onEdit = function (event) {
      var fs = event.target.closest("fieldset[data-field]");
      if (!fs) return;
      var name = fs.getAttribute("data-field");
      dirty[name] = true;
      mark();
      clearTimeout(timers[name]);
      timers[name] = setTimeout(function () { save(name); }, 700);
    };
    form.addEventListener("input", onEdit);
    form.addEventListener("focusout", function (event) {
      var fs = event.target.closest("fieldset[data-field]");
      if (fs && dirty[fs.getAttribute("data-field")]) {
        clearTimeout(timers[fs.getAttribute("data-field")]);
        save(fs.getAttribute("data-field"));
      }
    });
  }

  function anyDirty() {
    return Object.keys(dirty).some(function (k) { return dirty[k]; });
  }
  function changed() {
    if (!anyDirty()) {
      window.location.reload();
      return;
    }
    banner.textContent = form.getAttribute("data-reload");
    banner.hidden = false;
    // What the page said after the last action may no longer hold (a signature the
    // other's edit cancelled): it goes until the reload says what is so.
    document.querySelectorAll(".notice").forEach(function (n) { n.hidden = true; });
  }

  if (window.EventSource) {
    var source = new EventSource("/engagements/" + id + "/live");
    source.onopen = function () { form.setAttribute("data-live", "open"); };
    // Once a form is on its way, this page is leaving: a live event must not reload it
    // (the reload would replace the answer of the form being sent).
    var leaving = false;
    document.addEventListener("submit", function () { leaving = true; source.close(); }, true);
    window.addEventListener("pagehide", function () { source.close(); });
    source.onmessage = function (msg) {
      if (leaving) return;
      var ev;
      try { ev = JSON.parse(msg.data); } catch (e) { return; }
      if (ev.kind !== "field") {
        if (ev.kind === "signature" || ev.kind === "locked" || ev.kind === "objection" || ev.kind === "state" || ev.reload) changed();
        return;
      }
      var fs = fieldset(ev.field);
      if (!fs || ev.version <= Number(fs.getAttribute("data-version"))) return;
      if (ev.reload) { changed(); return; }
      if (dirty[ev.field] || pending[ev.field]) return; // our save meets the conflict, or this is our own echo
      var focused = fs.contains(document.activeElement);
      write(fs, ev.value);
      setVersion(fs, ev.version);
      status(fs, form.getAttribute("data-changed-by").replace("%name%", ev.by || ""), "live-text");
      fs.classList.add("flash");
      setTimeout(function () { fs.classList.remove("flash"); }, 1200);
      if (focused && fs.querySelector("textarea, input:not([type=hidden])")) {
        fs.querySelector("textarea, input:not([type=hidden])").focus();
      }
    };
  }
})();
