// Batch page: upload with a progress bar (XHR, since fetch cannot report upload progress),
// then poll the job's status until every file is finished, then show the results table.
import { csrfHeaders, getJson } from "./http.js";
import { poll } from "./poll.js";

const form = document.getElementById("batch-form");
const panel = document.getElementById("batch-progress");
if (form && panel) start(form, panel);

function start(form, panel) {
  const POLL_MS = 1500;
  const FINISHED = ["succeeded", "partially_failed", "failed"];
  const STATE_LABELS = { queued: "Waiting", running: "Analysing", done: "Done", failed: "Failed" };
  const STATE_BADGES = { queued: "badge-muted", running: "", done: "badge-good", failed: "badge-bad" };

  function urlFor(template, jobId) { return template.replace("JOB", encodeURIComponent(jobId)); }

  function setBar(bar, fraction) {
    bar.value = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
  }

  function showError(message) {
    const box = document.getElementById("batch-error");
    box.textContent = message;
    box.hidden = !message;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    showError("");
    const files = document.getElementById("batch-files").files;
    if (!files.length) { showError("Choose at least one recording or a zip."); return; }
    const xhr = new XMLHttpRequest();
    const bar = document.getElementById("upload-progress");
    const label = document.getElementById("upload-label");
    const submit = document.getElementById("batch-submit");
    document.getElementById("upload-progress-block").hidden = false;
    submit.disabled = true;
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      setBar(bar, e.loaded / e.total);
      label.textContent = "Uploading… " + Math.round((100 * e.loaded) / e.total) + "%";
    });
    xhr.addEventListener("load", function () {
      submit.disabled = false;
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      if (xhr.status === 202 && body.job_id) {
        label.textContent = "Uploaded.";
        history.replaceState(null, "", form.dataset.pageUrl + "?job=" + encodeURIComponent(body.job_id));
        startTracking(body.job_id);
      } else {
        document.getElementById("upload-progress-block").hidden = true;
        showError(body.message || "The upload did not work (error " + xhr.status + "). Please try again.");
      }
    });
    xhr.addEventListener("error", function () {
      submit.disabled = false;
      showError("The upload was interrupted. Check your connection and try again.");
    });
    xhr.open("POST", form.action);
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.send(new FormData(form));
  });

  function startTracking(jobId) {
    panel.dataset.jobId = jobId;
    document.getElementById("batch-upload").hidden = true;
    panel.hidden = false;
    const csv = document.getElementById("csv-link");
    csv.href = urlFor(panel.dataset.resultsUrl, jobId) + "?format=csv";
    csv.hidden = false;
    poll(urlFor(panel.dataset.statusUrl, jobId), {
      everyMs: POLL_MS,
      immediate: true,
      onData: function (job) {
        renderStatus(job);
        const finished = FINISHED.indexOf(job.status) >= 0;
        if (finished) loadResults(jobId);
        return finished;
      }
    });
  }

  function renderStatus(job) {
    const finished = job.done + job.failed;
    setBar(document.getElementById("job-progress"), job.total ? finished / job.total : 0);
    document.getElementById("job-summary").textContent =
      finished + " of " + job.total + " files finished" + (job.failed ? " (" + job.failed + " failed)" : "") + ".";
    const badge = document.getElementById("job-status");
    badge.textContent = job.status.replace("_", " ");
    badge.className = "badge " + ({ succeeded: "badge-good", partially_failed: "badge-fair", failed: "badge-bad" }[job.status] || "");
    renderRows(job.items.map(function (item) { return Object.assign({ score: null, report_url: null }, item); }));
  }

  async function loadResults(jobId) {
    const results = await getJson(urlFor(panel.dataset.resultsUrl, jobId)).catch(function () { return { ok: false }; });
    if (!results.ok) {
      document.getElementById("job-summary").textContent = "We couldn't load the results. Reload the page to try again.";
      return;
    }
    document.getElementById("progress-heading").textContent = "Results";
    renderRows(results.data.items);
  }

  function cell(row, text, className) {
    const td = document.createElement("td");
    if (className) td.className = className;
    if (text instanceof Node) td.appendChild(text); else td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function renderRows(items) {
    const body = document.querySelector("#job-items tbody");
    body.replaceChildren();
    items.forEach(function (item) {
      const tr = document.createElement("tr");
      if (item.report_url && item.status === "done") {
        // The file name is the link to its report: one column fewer keeps the table on a phone screen.
        const link = document.createElement("a");
        link.href = item.report_url;
        link.textContent = item.filename;
        cell(tr, link);
      } else {
        cell(tr, item.filename || "");
      }
      cell(tr, item.student ? item.student.name : "—");
      const badge = document.createElement("span");
      badge.className = "badge " + (STATE_BADGES[item.status] || "");
      badge.textContent = STATE_LABELS[item.status] || item.status;
      cell(tr, badge);
      cell(tr, item.score === null || item.score === undefined ? "—" : String(Math.round(item.score)), "num");
      body.appendChild(tr);
      const error = item.error && (item.error.message || item.error);
      if (error && item.status === "failed") {
        // The reason gets a full-width row of its own, so it stays readable on a phone.
        const why = document.createElement("tr");
        const td = cell(why, "Why " + item.filename + " failed: " + error, "hint");
        td.colSpan = 4;
        body.appendChild(why);
      }
    });
  }

  if (panel.dataset.jobId) startTracking(panel.dataset.jobId);
}
