// «Registrar entrega»: show the demands-and-needs questionnaire and the remuneration nature only for their duty.
(function () {
  "use strict";
  function sync() {
    var select = document.getElementById("id_kind");
    if (!select) { return; }
    document.querySelectorAll(".js-kind-only").forEach(function (block) {
      block.hidden = block.getAttribute("data-kind") !== select.value;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.getElementById("id_kind");
    if (select) { select.addEventListener("change", sync); }
    sync();
  });
})();
