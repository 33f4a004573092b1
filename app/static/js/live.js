/* "Practising now": ticks each timer every second from the session's start and asks the server
   who is practising every 5 s, so the panel stays current without a reload. Names are set with
   textContent, never as HTML. */
(function () {
  "use strict";
  var panel = document.getElementById("live");
  if (!panel) return;
  var list = document.getElementById("live-list");
  var empty = document.getElementById("live-empty");
  var count = document.getElementById("live-count");
  var status = document.getElementById("live-status");
  var POLL_MS = 5000;
  var clockOffset = 0; // server time minus browser time, so a wrong PC clock does not skew the timers

  function duration(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var minutes = Math.floor(seconds / 60), rest = seconds % 60;
    return minutes ? minutes + " min " + (rest < 10 ? "0" : "") + rest + " s" : rest + " s";
  }

  function tick() {
    var now = Date.now() + clockOffset;
    list.querySelectorAll(".live-item").forEach(function (item) {
      var elapsed = (now - Date.parse(item.dataset.startedAt)) / 1000;
      item.querySelector(".elapsed").textContent = duration(elapsed);
      var stuck = elapsed > Number(item.dataset.stuckAfter);
      item.classList.toggle("is-stuck", stuck);
      item.querySelector(".live-stuck").hidden = !stuck;
    });
  }

  function span(className, text) {
    var el = document.createElement("span");
    el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function buildItem(entry) {
    var item = document.createElement("li");
    item.className = "live-item is-new";
    item.dataset.sessionId = entry.session_id;
    var name = document.createElement("a");
    name.className = "live-name";
    name.href = entry.progress_url;
    name.textContent = entry.student.name;
    var timer = span("live-timer", "in progress for ");
    timer.appendChild(span("elapsed"));
    var badge = span("badge badge-bad live-stuck", "⚠ May be stuck");
    badge.hidden = true;
    item.append(name, " ", span("muted live-topic", entry.topic || "Free practice"), " ", timer, " ", badge);
    return item;
  }

  function render(data) {
    clockOffset = Date.parse(data.now) - Date.now();
    var existing = {};
    list.querySelectorAll(".live-item").forEach(function (item) { existing[item.dataset.sessionId] = item; });
    var fresh = data.sessions.map(function (entry) {
      var item = existing[String(entry.session_id)] || buildItem(entry);
      item.dataset.startedAt = entry.started_at;
      item.dataset.stuckAfter = entry.stuck_after_seconds;
      return item;
    });
    list.replaceChildren.apply(list, fresh);
    count.textContent = String(fresh.length);
    empty.hidden = fresh.length > 0;
    tick();
  }

  function poll() {
    if (document.hidden) return;
    fetch(panel.dataset.liveUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        render(data);
        status.textContent = "Updated " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }) + ".";
      })
      .catch(function () { status.textContent = "Can't reach the server just now; trying again."; });
  }

  tick();
  setInterval(tick, 1000);
  setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
})();
