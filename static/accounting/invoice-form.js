// Invoice form: «Añadir filas» adds blank lines from the <template> without a round trip. Without
// JavaScript the button posts the form and the server adds the rows. No inline scripts (CSP); the
// server computes every amount.
(function () {
  "use strict";

  var ROWS_ADDED = 3;

  function addRows(form, prefix, count) {
    var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-template");
    var anchor = document.getElementById(prefix + "-rows");
    if (!total || !template || !anchor) return false;
    var index = parseInt(total.value, 10) || 0;
    for (var i = 0; i < count; i++) {
      anchor.insertAdjacentHTML("beforebegin", template.innerHTML.replace(/__prefix__/g, String(index + i)));
    }
    total.value = String(index + count);
    var input = form.querySelector("#id_" + prefix + "-" + index + "-description");
    if (input) input.focus();
    return true;
  }

  function init() {
    var form = document.getElementById("invoice-form");
    if (!form) return;
    form.addEventListener("click", function (event) {
      var button = event.target.closest(".js-add-invoice-rows");
      if (button && addRows(form, button.dataset.formset, ROWS_ADDED)) event.preventDefault();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
