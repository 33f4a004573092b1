/* Charts of the class report, drawn from the summary JSON embedded in the page.
   Without Chart.js (blocked, or an old browser) the tables below still carry every figure. */
(function () {
  "use strict";

  var printButton = document.getElementById("print-report");
  if (printButton) printButton.addEventListener("click", function () { window.print(); });

  var source = document.getElementById("class-report-data");
  if (!source || typeof window.Chart === "undefined") return;
  var report = JSON.parse(source.textContent);
  if (!report || report.empty) return;

  var ink = "#1b2430", brand = "#3b38c9", good = "#1d7a46", fair = "#8a5a00", bad = "#b3261e";
  Chart.defaults.color = ink;
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
  Chart.defaults.animation = false; // printing and screenshots need the final frame at once
  Chart.defaults.maintainAspectRatio = false;

  function bar(id, labels, data, label, colour, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    if (!labels.length) {
      canvas.replaceWith(Object.assign(document.createElement("p"), { className: "muted", textContent: "No data in this period." }));
      return;
    }
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ label: label, data: data, backgroundColor: colour, borderColor: ink, borderWidth: 1 }] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: false } },
        scales: horizontal ? { x: { beginAtZero: true, ticks: { precision: 0 } } } : { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  // Comfortable pace (120–160) in green, the rest in amber: the axis labels say the same in words.
  var wpm = report.delivery.words_per_minute.histogram;
  bar("chart-wpm", wpm.labels, wpm.counts, "Students", wpm.labels.map(function (l) {
    var low = parseFloat(l);
    return low >= report.delivery.bands.wpm.range[0] && low < report.delivery.bands.wpm.range[1] ? good : fair;
  }));

  var scores = report.scores.overall.histogram;
  bar("chart-scores", scores.labels.map(function (l) { return l.replace("101", "100"); }), scores.counts, "Students", brand);

  var words = report.language.curriculum_words.words;
  bar("chart-vocab", words.map(function (w) { return w.word; }), words.map(function (w) { return w.talks; }), "Talks", brand, true);

  var sounds = report.pronunciation.sounds;
  bar("chart-sounds", sounds.map(function (s) { return "/" + s.sound + "/"; }), sounds.map(function (s) { return s.low; }), "Times below 60", bad);

  var series = report.series;
  var trend = document.getElementById("chart-trend");
  if (trend) {
    new Chart(trend, {
      type: "line",
      data: {
        labels: series.label_texts || series.labels,
        datasets: [
          { label: "Speech score", data: series.overall, borderColor: brand, backgroundColor: brand, pointStyle: "circle", spanGaps: true, yAxisID: "score" },
          { label: "Reading score", data: series.pronunciation, borderColor: good, backgroundColor: good, pointStyle: "rect", borderDash: [6, 4], spanGaps: true, yAxisID: "score" },
          { label: "Words per minute", data: series.words_per_minute, borderColor: fair, backgroundColor: fair, pointStyle: "triangle", borderDash: [2, 3], spanGaps: true, yAxisID: "wpm" }
        ]
      },
      options: {
        plugins: { legend: { position: "bottom", labels: { usePointStyle: true } } },
        scales: {
          score: { position: "left", min: 0, max: 100, title: { display: true, text: "Score" } },
          wpm: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: "Words per minute" } }
        }
      }
    });
  }
})();
