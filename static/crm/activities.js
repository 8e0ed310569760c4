// "Mi día": after htmx marks an activity done (the row is swapped for its done version), move
// the row to "Hechas hoy", keep the section counters right and tell screen readers.
(function () {
  "use strict";

  function recount() {
    const status = document.getElementById("my-day-status");
    document.querySelectorAll("section[id^='section-']").forEach(function (section) {
      const count = section.querySelectorAll(".js-activity").length;
      const badge = section.querySelector(".js-section-count");
      if (badge) {
        badge.textContent = count;
        if (!count) {
          badge.classList.remove("text-bg-danger");
          badge.classList.add("text-bg-light");
        }
      }
      const list = section.querySelector(".list-group");
      if (list && !count && !list.querySelector("li")) {
        const empty = document.createElement("li");
        empty.className = "list-group-item small text-muted text-center py-4";
        empty.textContent = status ? status.dataset.msgEmpty : "";
        list.appendChild(empty);
      }
    });
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    const row = event.target && event.target.classList && event.target.classList.contains("js-activity")
      ? event.target : document.querySelector(".js-activity[data-section='done']:not([data-placed])");
    if (!row || row.dataset.section !== "done" || row.dataset.placed) return;
    row.dataset.placed = "1";
    const done = document.querySelector("#section-done .list-group");
    if (done && row.parentElement !== done) {
      const empty = done.querySelector("li:not(.js-activity)");
      if (empty) empty.remove();
      done.insertBefore(row, done.firstElementChild);
    }
    recount();
    const status = document.getElementById("my-day-status");
    if (status) status.textContent = status.dataset.msgDone;
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#section-done .js-activity").forEach(function (row) { row.dataset.placed = "1"; });
  });
})();
