/* Reading aloud in the browser.
   Practice page: record with MediaRecorder (with a live level meter) or upload a file, then POST it to
   /api/pronunciation and go to the result page. Result page: play the student's own recording of
   one word. Without this script the upload form still works as a plain form post. */
(function () {
  "use strict";

  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content;

  function say(el, text) { if (el) { el.textContent = text; } }

  function send(form, status, blob) {
    var data = new FormData(form);
    if (blob) { data.set("audio", blob, "reading." + (blob.type.indexOf("ogg") !== -1 ? "ogg" : "webm")); }
    say(status, "Sending your reading… scoring can take a little while.");
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = true; });
    return fetch(form.dataset.api, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok && body.url) { window.location.assign(body.url); return; }
        throw new Error(body.message || "That didn't work. Please try again.");
      });
    }).catch(function (error) {
      say(status, error.message);
      Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = false; });
      var stop = document.getElementById("rec-stop");
      if (stop) { stop.disabled = true; }
    });
  }

  function formatTime(seconds) {
    var s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }

  function setupRecorder(form, status) {
    var box = document.getElementById("recorder");
    if (!box || !window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
    box.hidden = false;
    var note = document.getElementById("no-recorder");
    if (note) { note.hidden = true; }
    var start = document.getElementById("rec-start"), stop = document.getElementById("rec-stop");
    var sendButton = document.getElementById("rec-send"), preview = document.getElementById("rec-preview");
    var meter = document.getElementById("rec-meter"), clock = document.getElementById("rec-time");
    var recorder = null, chunks = [], blob = null, stream = null, audioContext = null, raf = 0, startedAt = 0;

    function showLevel(analyser) {
      var buffer = new Uint8Array(analyser.fftSize);
      function tick() {
        analyser.getByteTimeDomainData(buffer);
        var peak = 0;
        for (var i = 0; i < buffer.length; i++) { peak = Math.max(peak, Math.abs(buffer[i] - 128)); }
        var level = Math.min(100, Math.round(peak / 128 * 160));
        meter.firstElementChild.style.width = level + "%";
        meter.setAttribute("aria-valuenow", String(level));
        clock.textContent = formatTime((Date.now() - startedAt) / 1000);
        raf = window.requestAnimationFrame(tick);
      }
      tick();
    }

    function finish() {
      window.cancelAnimationFrame(raf);
      meter.firstElementChild.style.width = "0%";
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
      if (audioContext) { audioContext.close(); }
      blob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
      preview.src = URL.createObjectURL(blob);
      preview.hidden = false;
      sendButton.hidden = false;
      start.disabled = false;
      start.textContent = "● Record again";
      say(status, "Recorded " + clock.textContent + ". Listen back, then send it — or record again.");
      sendButton.focus();
    }

    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (mic) {
        stream = mic;
        chunks = [];
        recorder = new MediaRecorder(mic);
        recorder.ondataavailable = function (e) { if (e.data && e.data.size) { chunks.push(e.data); } };
        recorder.onstop = finish;
        audioContext = new (window.AudioContext || window.webkitAudioContext)();
        var analyser = audioContext.createAnalyser();
        analyser.fftSize = 1024;
        audioContext.createMediaStreamSource(mic).connect(analyser);
        startedAt = Date.now();
        recorder.start(1000);
        showLevel(analyser);
        start.disabled = true;
        stop.disabled = false;
        sendButton.hidden = true;
        preview.hidden = true;
        say(status, "Recording… read the passage out loud, then press Stop.");
        stop.focus();
      }).catch(function () {
        say(status, "We couldn't use your microphone. Allow microphone access, or upload a recording instead.");
      });
    });
    stop.addEventListener("click", function () {
      stop.disabled = true;
      if (recorder && recorder.state !== "inactive") { recorder.stop(); }
    });
    sendButton.addEventListener("click", function () { if (blob) { send(form, status, blob); } });
  }

  function setupPracticePage() {
    var form = document.getElementById("pron-form");
    if (!form) { return; }
    var status = document.getElementById("pron-status");
    setupRecorder(form, status);
    form.addEventListener("submit", function (event) {
      var file = document.getElementById("audio");
      if (!file || !file.files.length) {
        event.preventDefault();
        say(status, "Choose a sound file to upload first, or use the recorder.");
        return;
      }
      event.preventDefault();
      send(form, status);
    });
  }

  // Decoding the whole recording once lets any word play exactly from Offset for Duration,
  // even in recorder WebM files that browsers cannot seek in.
  function setupWordPlayback() {
    var reading = document.querySelector(".reading[data-audio]");
    if (!reading) { return; }
    var status = document.getElementById("play-status");
    var decoded = null, context = null;

    function load() {
      if (decoded) { return decoded; }
      context = new (window.AudioContext || window.webkitAudioContext)();
      decoded = fetch(reading.dataset.audio, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error("missing"); } return r.arrayBuffer(); })
        .then(function (bytes) { return context.decodeAudioData(bytes); });
      decoded.catch(function () { decoded = null; });
      return decoded;
    }

    reading.addEventListener("click", function (event) {
      var button = event.target.closest(".play-word");
      if (!button) { return; }
      var start = parseFloat(button.dataset.start), duration = parseFloat(button.dataset.duration);
      say(status, "Playing…");
      button.dataset.state = "loading";
      load().then(function (buffer) {
        var source = context.createBufferSource();
        source.buffer = buffer;
        source.connect(context.destination);
        // A little air either side so the word is not clipped.
        var from = Math.max(0, start - 0.05);
        source.onended = function () { say(status, ""); button.dataset.state = "played"; };
        source.start(0, from, duration + 0.1);
      }).catch(function () {
        say(status, "Sorry, we couldn't play your recording.");
        button.dataset.state = "failed";
      });
    });
  }

  function init() { setupPracticePage(); setupWordPlayback(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
