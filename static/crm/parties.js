// Party create/edit page: person/company switch, repeated rows (addresses, phones/e-mails, bank
// accounts) and the live duplicates panel (htmx, refreshed while the user types). No inline scripts.
(function () {
  "use strict";

  function showKind(form, kind) {
    form.dataset.kind = kind;
    form.querySelectorAll("[data-kind-only]").forEach(function (el) {
      el.hidden = el.dataset.kindOnly !== kind;
    });
  }

  function addRow(prefix) {
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const template = document.getElementById(prefix + "-template");
    const rows = document.getElementById(prefix + "-rows");
    if (!total || !template || !rows) return;
    const index = parseInt(total.value, 10) || 0;
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const added = rows.lastElementChild;
    const first = added && added.querySelector("input:not([type=hidden]), select");
    if (first) first.focus();
  }

  function markRemoved(checkbox) {
    const row = checkbox.closest("[data-row]");
    if (row) row.classList.toggle("opacity-50", checkbox.checked);
  }

  function init() {
    const form = document.getElementById("party-form");
    if (!form) return;
    const kind = form.querySelector(".js-party-kind");
    if (kind) {
      showKind(form, kind.value);
      kind.addEventListener("change", function () { showKind(form, kind.value); checkSoon(); });
    }
    form.addEventListener("click", function (event) {
      const button = event.target.closest(".js-add-row");
      if (button) { event.preventDefault(); addRow(button.dataset.formset); }
    });

    let timer = null;
    function checkSoon() {
      const panel = document.getElementById("party-duplicates");
      if (!panel || !window.htmx) return;
      clearTimeout(timer);
      timer = setTimeout(function () { window.htmx.trigger(panel, "dup-check"); }, 500);
    }
    function relevant(target) {
      return target.classList.contains("js-dup-field") || /^contacts-\d+-(kind|value|DELETE)$/.test(target.name || "");
    }
    form.addEventListener("input", function (event) { if (relevant(event.target)) checkSoon(); });
    form.addEventListener("change", function (event) {
      if (/-DELETE$/.test(event.target.name || "")) markRemoved(event.target);
      if (relevant(event.target)) checkSoon();
    });
    form.querySelectorAll("input[name$='-DELETE']:checked").forEach(markRemoved);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
