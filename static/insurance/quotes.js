// Quote pages: «Añadir fila» adds a blank row to a risk formset from its <template> without a round
// trip (without JavaScript the button posts the form and the server adds the row); [data-print]
// buttons print the page. No inline scripts (CSP).
(function () {
  "use strict";

  function addRow(form, prefix) {
    var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-template");
    var anchor = document.getElementById(prefix + "-rows");
    if (!total || !template || !anchor) return false;
    var index = parseInt(total.value, 10) || 0;
    anchor.insertAdjacentHTML("beforebegin", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
    var input = form.querySelector("[name^='" + prefix + "-" + index + "-']");
    if (input) input.focus();
    return true;
  }

  function init() {
    var form = document.getElementById("quote-risk-form");
    if (form) {
      form.addEventListener("click", function (event) {
        var button = event.target.closest(".js-add-row");
        if (button && addRow(form, button.dataset.formset)) event.preventDefault();
      });
    }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
