// Analytics dashboards: draws every chart from the json_script block "analytics-charts" (no inline
// scripts: CSP) and opens the records behind a bar or slice on click. The custom dates of the period
// filter show only when «Personalizado» is chosen.
(function () {
  "use strict";

  var PALETTE = ["#1f6feb", "#2da44e", "#d29922", "#cf222e", "#8250df", "#0a7ea4", "#bf3989", "#6e7781", "#953800", "#116329"];

  function formatter(unit) {
    var money = new Intl.NumberFormat("es-ES", { style: "currency", currency: "EUR", useGrouping: "always" });
    var plain = new Intl.NumberFormat("es-ES", { maximumFractionDigits: 2, useGrouping: "always" });
    return function (value) {
      try {
        if (unit === "eur") return money.format(value);
        if (unit === "pct") return plain.format(value) + " %";
        return plain.format(value);
      } catch (e) { return String(value); }
    };
  }

  function draw(canvas, chart) {
    if (!window.Chart || !chart) return;
    var format = formatter(chart.unit);
    var type = chart.type === "doughnut" ? "doughnut" : "bar";
    var stacked = chart.type === "stacked";
    var datasets = chart.datasets.map(function (set, i) {
      var colour = type === "doughnut" ? chart.labels.map(function (_l, j) { return PALETTE[j % PALETTE.length]; }) : PALETTE[i % PALETTE.length];
      return { label: set.label, data: set.data.map(Number), backgroundColor: colour, borderRadius: type === "bar" ? 3 : 0, maxBarThickness: 36 };
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: { duration: 300 },
      indexAxis: chart.type === "hbar" ? "y" : "x",
      plugins: {
        legend: { position: "bottom", display: type === "doughnut" || datasets.length > 1 },
        tooltip: { callbacks: { label: function (ctx) {
          var value = type === "doughnut" ? ctx.parsed : (chart.type === "hbar" ? ctx.parsed.x : ctx.parsed.y);
          return (type === "doughnut" ? ctx.label : ctx.dataset.label) + ": " + format(value);
        } } },
      },
      onHover: function (event, elements) {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      },
      onClick: function (_event, elements) {
        if (!elements.length) return;
        var row = chart.drill[elements[0].datasetIndex] || [];
        var url = row[elements[0].index];
        if (url) window.location.assign(url);
      },
    };
    if (type === "bar") {
      var valueAxis = { stacked: stacked, grid: { color: "#eef1f5" }, ticks: { color: "#6c7a8d", callback: function (v) { return format(v); } } };
      var categoryAxis = { stacked: stacked, grid: { display: false }, ticks: { color: "#3b4a5e" } };
      options.scales = chart.type === "hbar" ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis };
    }
    new window.Chart(canvas, { type: type, data: { labels: chart.labels, datasets: datasets }, options: options });
  }

  function toggleDates(select) {
    var custom = select.value === "custom";
    document.querySelectorAll(".js-custom-dates").forEach(function (box) { box.hidden = !custom; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("analytics-charts");
    var charts = {};
    if (source) {
      JSON.parse(source.textContent).forEach(function (chart) { charts[chart.key] = chart; });
    }
    document.querySelectorAll("canvas.js-analytics-chart").forEach(function (canvas) {
      draw(canvas, charts[canvas.dataset.key]);
    });
    var period = document.querySelector("select[data-period]");
    if (period) {
      toggleDates(period);
      period.addEventListener("change", function () { toggleDates(period); });
    }
  });
})();
