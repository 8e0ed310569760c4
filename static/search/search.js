// Global search box of the top bar: "/" or Ctrl+K (⌘K) focuses it, htmx fills the dropdown as one types
// (grouped by type), arrows move through the hits, Escape closes. No inline scripts (CSP).
(function () {
  "use strict";

  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function init() {
    const input = document.getElementById("app-search-input");
    const menu = document.getElementById("app-search-results");
    if (!input || !menu) return;

    function show(open) {
      menu.classList.toggle("show", open);
      input.setAttribute("aria-expanded", open ? "true" : "false");
    }
    function hits() {
      return Array.prototype.slice.call(menu.querySelectorAll(".app-search-hit"));
    }
    function move(step) {
      const list = hits();
      if (!list.length) return;
      const at = list.indexOf(document.activeElement);
      const next = at === -1 ? (step > 0 ? 0 : list.length - 1) : at + step;
      if (next < 0) { input.focus(); return; }
      list[Math.min(next, list.length - 1)].focus();
    }

    document.addEventListener("keydown", function (event) {
      const ctrlK = (event.ctrlKey || event.metaKey) && (event.key === "k" || event.key === "K");
      if (ctrlK || (event.key === "/" && !editable(event.target) && !event.altKey && !event.ctrlKey && !event.metaKey)) {
        event.preventDefault();
        input.focus();
        input.select();
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); show(menu.children.length > 0); move(1); }
      if (event.key === "Escape") { show(false); input.blur(); }
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      if (event.key === "Escape") { show(false); input.focus(); }
    });
    input.addEventListener("input", function () {
      if (!input.value.trim()) { menu.replaceChildren(); show(false); }
    });
    input.addEventListener("focus", function () {
      if (input.value.trim() && menu.children.length) show(true);
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.target === menu) show(input.value.trim() !== "" && menu.children.length > 0);
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest("#app-search")) show(false);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
