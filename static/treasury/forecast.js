// Treasury forecast chart: weekly inflows/outflows as bars and the running balance as a line.
// No inline scripts (CSP): the data comes from the json_script block named by data-source.
(function () {
  "use strict";

  function initForecast(canvas) {
    if (!window.Chart) return;
    const source = document.getElementById(canvas.dataset.source);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const money = new Intl.NumberFormat("es-ES", { style: "currency", currency: "EUR", useGrouping: "always" });
    const format = function (value) {
      try { return money.format(value); } catch (e) { return value + " €"; }
    };
    new window.Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: canvas.dataset.labelIn, data: data.inflows.map(Number), backgroundColor: "rgba(25, 135, 84, .8)", borderRadius: 3, maxBarThickness: 22, order: 2 },
          { type: "bar", label: canvas.dataset.labelOut, data: data.outflows.map(Number), backgroundColor: "rgba(220, 53, 69, .75)", borderRadius: 3, maxBarThickness: 22, order: 2 },
          { type: "line", label: canvas.dataset.labelBalance, data: data.balance.map(Number), borderColor: "rgba(31, 111, 235, 1)", backgroundColor: "rgba(31, 111, 235, .15)", tension: 0.2, pointRadius: 3, order: 1,
            segment: { borderColor: function (ctx) { return ctx.p1.parsed.y < 0 ? "rgba(220, 53, 69, 1)" : undefined; } } },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: { duration: 300 },
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + format(ctx.parsed.y); } } },
        },
        scales: {
          x: { stacked: false, grid: { display: false }, ticks: { color: "#3b4a5e" } },
          y: { grid: { color: "#eef1f5" }, ticks: { color: "#6c7a8d", callback: function (v) { return format(v); } } },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas.js-forecast-chart").forEach(initForecast);
  });
})();
