// Manual entry form: add blank rows from the <template> and keep the debit/credit totals and the
// difference up to date while typing. Without JavaScript the «Añadir filas» button posts the form and
// the server adds the rows; the server always recomputes and validates. No inline scripts (CSP).
(function () {
  "use strict";

  var ROWS_ADDED = 3;

  function parseAmount(text) {
    var value = String(text || "").replace(/[\s€]/g, "");
    if (!value) return 0;
    if (value.indexOf(",") !== -1) value = value.replace(/\./g, "").replace(",", ".");
    var number = Number(value);
    return isFinite(number) ? Math.round(number * 100) : NaN;
  }

  function formatCents(cents) {
    var sign = cents < 0 ? "-" : "";
    var abs = Math.abs(cents);
    var units = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var rest = String(abs % 100);
    return sign + units + "," + (rest.length < 2 ? "0" + rest : rest);
  }

  function addRows(form, prefix, count) {
    var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-template");
    var rows = document.getElementById(prefix + "-rows");
    if (!total || !template || !rows) return false;
    var index = parseInt(total.value, 10) || 0;
    for (var i = 0; i < count; i++) {
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index + i)));
    }
    total.value = String(index + count);
    var first = rows.querySelectorAll("tr")[index];
    var input = first && first.querySelector("input");
    if (input) input.focus();
    return true;
  }

  function updateTotals(form) {
    var debit = 0, credit = 0, bad = false;
    form.querySelectorAll(".js-debit").forEach(function (el) { var v = parseAmount(el.value); if (isNaN(v)) bad = true; else debit += v; });
    form.querySelectorAll(".js-credit").forEach(function (el) { var v = parseAmount(el.value); if (isNaN(v)) bad = true; else credit += v; });
    var d = document.getElementById("total-debit");
    var c = document.getElementById("total-credit");
    var diff = document.getElementById("total-difference");
    if (!d || !c || !diff) return;
    d.textContent = formatCents(debit);
    c.textContent = formatCents(credit);
    var difference = debit - credit;
    diff.textContent = bad ? (diff.dataset.bad || "¿?") : formatCents(difference) + (difference ? " · " + (diff.dataset.unbalanced || "no cuadra") : "");
    diff.classList.toggle("text-danger", bad || difference !== 0);
    diff.classList.toggle("fw-semibold", bad || difference !== 0);
    diff.classList.toggle("text-success", !bad && difference === 0);
  }

  function init() {
    var form = document.getElementById("entry-form");
    if (!form) return;
    form.addEventListener("click", function (event) {
      var button = event.target.closest(".js-add-rows");
      if (button && addRows(form, button.dataset.formset, ROWS_ADDED)) event.preventDefault();
    });
    form.addEventListener("input", function (event) {
      if (event.target.matches(".js-debit, .js-credit")) updateTotals(form);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
