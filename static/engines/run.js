// Engine run page: the progress bar moves over the websocket (static/core/app.js updates the
// [data-job-id] elements); when the run finishes the page reloads to show the result or the error.
// Without a socket it polls the run's API every 3 s. Result charts come from json_script data.
(function () {
  "use strict";
  var FINISHED = { succeeded: 1, failed: 1, cancelled: 1 };

  function charts() {
    if (!window.Chart) return;
    var palette = ["#1f6feb", "#d97706", "#16a34a", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#475569", "#ea580c"];
    document.querySelectorAll("canvas.js-engine-chart").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.source);
      if (!source) return;
      var chart = JSON.parse(source.textContent);
      var type = chart.type === "pie" || chart.type === "scatter" || chart.type === "line" ? chart.type : "bar";
      new window.Chart(canvas, {
        type: type,
        data: {
          labels: chart.labels,
          datasets: (chart.datasets || []).map(function (set, i) {
            var color = palette[i % palette.length];
            return { label: set.label, data: set.data, backgroundColor: type === "pie" ? palette : color,
                     borderColor: color, spanGaps: true, tension: 0.2 };
          }),
        },
        options: { locale: document.documentElement.lang || "es", responsive: true, aspectRatio: 2.5,
                   animation: { duration: 300 } },
      });
    });
  }

  function watch() {
    var root = document.getElementById("engine-run");
    if (!root || root.dataset.finished === "1") return;
    var reloaded = false;
    function reload() { if (!reloaded) { reloaded = true; window.location.reload(); } }
    var badge = document.getElementById("run-status");
    var initial = badge ? badge.textContent : "";
    if (badge && window.MutationObserver) {
      new MutationObserver(function () {
        if (badge.textContent !== initial && !/primary/.test(badge.className)) poll();
      }).observe(badge, { childList: true, characterData: true, subtree: true, attributes: true });
    }
    function poll() {
      fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (run) { if (run && FINISHED[run.status]) reload(); })
        .catch(function () {});
    }
    setInterval(poll, 3000);
  }

  document.addEventListener("DOMContentLoaded", function () { charts(); watch(); });
})();
