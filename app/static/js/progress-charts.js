/* My Progress charts: reads the series the page embeds as JSON and draws them with Chart.js
   (app/static/vendor/chart.umd.js). Every line has its own point shape and dash pattern so the
   charts read without colour; each chart's numbers are also in a table on the page. */
(function () {
  "use strict";

  var COLOURS = { brand: "#3b38c9", good: "#1d7a46", goodSoft: "rgba(29,122,70,0.10)", fair: "#8a5a00",
    bad: "#b3261e", muted: "#5a6472", ink: "#1b2430", teal: "#00677a" };

  // [label, series key, colour, point style, dash pattern]
  var LINES = {
    wpm: [["Words per minute", "words_per_minute", COLOURS.brand, "circle", []]],
    fillers: [["Fillers per minute", "fillers_per_minute", COLOURS.bad, "triangle", []]],
    overall: [["Speech score", "overall", COLOURS.brand, "rectRot", []]],
    wcpm: [["Words correct per minute", "wcpm", COLOURS.good, "circle", []]],
    pronunciation: [
      ["Pronunciation", "pron", COLOURS.brand, "circle", []],
      ["Accuracy", "accuracy", COLOURS.good, "triangle", [8, 4]],
      ["Fluency", "fluency", COLOURS.fair, "rect", [2, 3]],
      ["Completeness", "completeness", COLOURS.teal, "rectRot", [12, 4, 2, 4]],
      ["Prosody", "prosody", COLOURS.muted, "crossRot", [4, 8]]
    ]
  };

  function lineDataset(line, values) {
    return {
      label: line[0], data: values, borderColor: line[2], backgroundColor: line[2],
      pointStyle: line[3], pointRadius: 5, pointHoverRadius: 7, borderWidth: 2, borderDash: line[4],
      // Monotone curves never bulge past a real score: a line peaking above a pupil's
      // best session would show a result they never had.
      spanGaps: true, tension: 0.15, cubicInterpolationMode: "monotone"
    };
  }

  // The comfortable pace is two dashed lines with the space between them shaded.
  function bandDatasets(band, count) {
    function edge(label, value, fill) {
      return { label: label, data: new Array(count).fill(value), borderColor: COLOURS.good, borderDash: [6, 6],
        borderWidth: 1.5, pointRadius: 0, pointHoverRadius: 0, backgroundColor: COLOURS.goodSoft, fill: fill,
        pointStyle: "line" };
    }
    return [edge("Comfortable pace from " + band[0], band[0], "+1"), edge("… up to " + band[1], band[1], false)];
  }

  function datasetsFor(chartDef, data, series) {
    var sets = LINES[chartDef.id].filter(function (line) {
      return (data[line[1]] || []).some(function (v) { return v !== null; });
    }).map(function (line) { return lineDataset(line, data[line[1]]); });
    if (chartDef.id === "wpm") { sets = sets.concat(bandDatasets(series.wpm_band, data.ids.length)); }
    return sets;
  }

  function yScale(chartDef) {
    var scale = { beginAtZero: true, title: { display: true, text: chartDef.unit, color: COLOURS.ink } };
    if (chartDef.unit.indexOf("100") !== -1) { scale.max = 100; }
    return scale;
  }

  function draw(canvas, chartDef, series) {
    var data = series[chartDef.kind];
    var chart = new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasetsFor(chartDef, data, series) },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom", labels: { usePointStyle: true, color: COLOURS.ink } } },
        scales: {
          // offset keeps a lone first session in the middle instead of on the axis line.
          x: { offset: data.labels.length < 3,
               title: { display: true, text: "Session date (oldest → newest)", color: COLOURS.ink } },
          y: yScale(chartDef)
        }
      }
    });
    canvas.dataset.rendered = "true";
    return chart;
  }

  function init() {
    var source = document.getElementById("progress-series");
    if (!source || typeof window.Chart === "undefined") { return; }
    var series = JSON.parse(source.textContent);
    series.charts.forEach(function (chartDef) {
      var canvas = document.querySelector('canvas[data-chart="' + chartDef.id + '"]');
      if (canvas) { draw(canvas, chartDef, series); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
