// CRM pipeline: kanban board (native HTML5 drag and drop, keyboard and <select> fallbacks,
// won/lost dialog), funnel chart, party search helpers. No inline scripts (CSP); data comes
// from data-* attributes and json_script.
(function () {
  "use strict";

  // ---- HTTP ---------------------------------------------------------------------------------
  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function postJSON(url, data) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(data),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.ok && body.ok !== false, status: response.status, body: body };
      });
    }, function () {
      return { ok: false, status: 0, body: {} };
    });
  }

  // ---- Board --------------------------------------------------------------------------------
  function initBoard(board) {
    const canChange = board.dataset.canChange === "1";
    const alertBox = document.querySelector(".js-board-alert");
    const statusBox = document.getElementById("board-status");
    const dialogEl = document.getElementById("close-dialog");
    let dragged = null;   // the card being dragged
    let origin = null;    // {column, next} where it came from
    let dropped = false;

    function columns() { return Array.from(board.querySelectorAll(".js-column")); }
    function columnOf(stage) { return board.querySelector('.js-column[data-stage="' + stage + '"]'); }
    function cardsIn(column) { return Array.from(column.querySelectorAll(":scope > .js-card")); }
    function isOpen(column) { return column.dataset.open === "1"; }

    function showError(message) {
      if (!alertBox) return;
      alertBox.querySelector(".js-board-alert-text").textContent = message || board.dataset.msgError;
      alertBox.classList.remove("d-none");
      alertBox.scrollIntoView({ block: "nearest" });
    }
    function hideError() { if (alertBox) alertBox.classList.add("d-none"); }
    function announce(text) { if (statusBox) statusBox.textContent = text; }

    function refreshEmpty() {
      columns().forEach(function (column) {
        const empty = column.querySelector(".js-empty");
        if (empty) {
          empty.classList.toggle("d-none", cardsIn(column).length > 0);
          column.appendChild(empty); // keep the hint after the cards
        }
      });
    }

    function applyTotals(totals) {
      Object.keys(totals || {}).forEach(function (stage) {
        const count = board.querySelector('.js-col-count[data-stage="' + stage + '"]');
        const total = board.querySelector('.js-col-total[data-stage="' + stage + '"]');
        if (count) count.textContent = totals[stage].count;
        if (total) total.textContent = totals[stage].total;
      });
    }

    function remember(card) {
      return { column: card.parentElement, next: card.nextElementSibling };
    }

    function restore(card, place) {
      if (!place) return;
      place.column.insertBefore(card, place.next && place.next.parentElement === place.column ? place.next : place.column.querySelector(".js-empty"));
      const select = card.querySelector(".js-stage-select");
      if (select) select.value = card.dataset.stage;
      refreshEmpty();
    }

    function updateCard(card, body) {
      card.dataset.version = body.version;
      card.dataset.stage = body.stage;
      const version = card.querySelector(".js-version");
      if (version) version.value = body.version;
      const select = card.querySelector(".js-stage-select");
      if (select) select.value = body.stage;
      const probability = card.querySelector(".js-card-probability");
      if (probability && body.probability !== undefined) probability.textContent = body.probability + " %";
    }

    // The card is already where the user put it in the DOM; save that place or put it back.
    function saveMove(card, place) {
      const column = card.parentElement;
      const position = cardsIn(column).indexOf(card);
      hideError();
      card.setAttribute("aria-busy", "true");
      return postJSON(card.dataset.moveUrl, { stage: column.dataset.stage, position: position, version: Number(card.dataset.version) })
        .then(function (result) {
          card.removeAttribute("aria-busy");
          if (!result.ok) {
            restore(card, place);
            showError(result.body.error);
            return false;
          }
          updateCard(card, result.body);
          applyTotals(result.body.columns);
          announce(board.dataset.msgMoved + " " + column.dataset.label + " (" + (position + 1) + ")");
          return true;
        });
    }

    // ---- Won/lost dialog ----
    let closing = null; // {card, place, outcome, done}
    const modal = dialogEl && window.bootstrap ? window.bootstrap.Modal.getOrCreateInstance(dialogEl) : null;
    const closeForm = dialogEl ? dialogEl.querySelector(".js-close-form") : null;

    function reasonState() {
      if (!closeForm) return;
      const lost = closeForm.querySelector('input[name="outcome"][value="lost"]').checked;
      closeForm.querySelector(".js-reason-required").classList.toggle("d-none", !lost);
      closeForm.querySelector('[name="reason"]').required = lost;
    }

    function openClose(card, outcome, place) {
      if (!modal || !closeForm) { window.location = card.dataset.closeUrl + "?outcome=" + outcome; return; }
      closing = { card: card, place: place, outcome: outcome, done: false };
      closeForm.querySelector(".js-close-name").textContent = card.dataset.name;
      closeForm.querySelectorAll('input[name="outcome"]').forEach(function (radio) { radio.checked = radio.value === outcome; });
      const reason = closeForm.querySelector('[name="reason"]');
      reason.value = "";
      reason.classList.remove("is-invalid");
      reason.removeAttribute("aria-invalid");
      closeForm.querySelector(".js-close-error").classList.add("d-none");
      reasonState();
      modal.show();
    }

    if (closeForm) {
      closeForm.addEventListener("change", reasonState);
      dialogEl.addEventListener("shown.bs.modal", function () { closeForm.querySelector('[name="reason"]').focus(); });
      dialogEl.addEventListener("hidden.bs.modal", function () {
        if (closing && !closing.done) {
          restore(closing.card, closing.place);
          closing.card.focus();
        }
        closing = null;
      });
      closeForm.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!closing) return;
        const card = closing.card;
        const outcome = (closeForm.querySelector('input[name="outcome"]:checked') || {}).value;
        const reason = closeForm.querySelector('[name="reason"]');
        const errorBox = closeForm.querySelector(".js-close-error");
        const submit = closeForm.querySelector(".js-close-submit");
        submit.disabled = true;
        postJSON(card.dataset.closeUrl, { outcome: outcome, reason: reason.value, version: Number(card.dataset.version) })
          .then(function (result) {
            submit.disabled = false;
            if (!result.ok) {
              const errors = result.body.errors || {};
              const reasonErrors = errors.lost_reason || errors.reason;
              reason.classList.toggle("is-invalid", !!reasonErrors);
              if (reasonErrors) {
                reason.setAttribute("aria-invalid", "true");
                closeForm.querySelector(".js-reason-error").textContent = reasonErrors.join(" ");
                reason.focus();
              }
              errorBox.textContent = result.body.error || board.dataset.msgError;
              errorBox.classList.remove("d-none");
              return;
            }
            closing.done = true;
            const target = columnOf(result.body.stage);
            target.insertBefore(card, target.firstElementChild);
            updateCard(card, result.body);
            applyTotals(result.body.columns);
            refreshEmpty();
            announce(board.dataset.msgMoved + " " + target.dataset.label);
            modal.hide();
            card.focus();
          });
      });
    }

    // ---- Drop logic shared by mouse, keyboard and select ----
    function placeAndSave(card, column, beforeCard, place) {
      if (!isOpen(column)) {
        if (card.dataset.stage === "won" || card.dataset.stage === "lost") {
          restore(card, place);
          showError(board.dataset.msgClosed);
          return;
        }
        restore(card, place);
        openClose(card, column.dataset.stage, place);
        return;
      }
      column.insertBefore(card, beforeCard || column.querySelector(".js-empty"));
      refreshEmpty();
      if (place.column === column && place.next === card.nextElementSibling) return; // same spot
      saveMove(card, place);
    }

    if (!canChange) return;

    // ---- Mouse: native HTML5 drag and drop ----
    function cardAfter(column, y) {
      let closest = null;
      let offset = Number.NEGATIVE_INFINITY;
      cardsIn(column).forEach(function (card) {
        if (card === dragged) return;
        const box = card.getBoundingClientRect();
        const delta = y - box.top - box.height / 2;
        if (delta < 0 && delta > offset) { offset = delta; closest = card; }
      });
      return closest;
    }

    function columnFrom(target) {
      if (!target.closest) return null;
      const column = target.closest(".js-column");
      if (column) return column;
      const wrap = target.closest(".js-column-wrap");
      return wrap && board.contains(wrap) ? wrap.querySelector(".js-column") : null;
    }

    board.addEventListener("dragstart", function (event) {
      const card = event.target.closest && event.target.closest(".js-card");
      if (!card) return;
      dragged = card;
      origin = remember(card);
      dropped = false;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.id);
      window.requestAnimationFrame(function () { card.classList.add("opacity-50"); });
    });

    board.addEventListener("dragover", function (event) {
      if (!dragged) return;
      const column = columnFrom(event.target);
      if (!column) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      columns().forEach(function (c) { c.classList.toggle("bg-primary-subtle", c === column); });
      if (isOpen(column)) {
        const after = cardAfter(column, event.clientY);
        const anchor = after || column.querySelector(".js-empty");
        if (dragged.nextElementSibling !== anchor || dragged.parentElement !== column) column.insertBefore(dragged, anchor);
      }
    });

    board.addEventListener("drop", function (event) {
      if (!dragged) return;
      const column = columnFrom(event.target);
      if (!column) return;
      event.preventDefault();
      dropped = true;
      const card = dragged;
      const place = origin;
      let before = null;
      if (isOpen(column)) {
        const next = card.nextElementSibling;
        before = card.parentElement === column ? (next && next.classList.contains("js-card") ? next : null)
          : cardAfter(column, event.clientY);
      }
      cleanupDrag();
      placeAndSave(card, column, before, place);
    });

    function cleanupDrag() {
      if (dragged) dragged.classList.remove("opacity-50");
      columns().forEach(function (c) { c.classList.remove("bg-primary-subtle"); });
      dragged = null;
    }

    board.addEventListener("dragend", function () {
      if (dragged && !dropped) restore(dragged, origin); // cancelled (Esc or dropped outside)
      cleanupDrag();
      refreshEmpty();
    });

    // ---- The stage <select> on each card (also the keyboard path) ----
    board.addEventListener("change", function (event) {
      const select = event.target.closest(".js-stage-select");
      if (!select) return;
      const card = select.closest(".js-card");
      const column = columnOf(select.value);
      if (!column || select.value === card.dataset.stage) return;
      placeAndSave(card, column, null, remember(card));
    });
    board.addEventListener("submit", function (event) {
      if (event.target.closest(".js-move-form")) event.preventDefault(); // Enter in the select
    });

    // ---- Keyboard: Alt+arrows on a focused card ----
    board.addEventListener("keydown", function (event) {
      const card = event.target.classList && event.target.classList.contains("js-card") ? event.target : null;
      if (!card || !event.altKey) return;
      const column = card.parentElement;
      const place = remember(card);
      if (event.key === "ArrowUp" || event.key === "ArrowDown") {
        event.preventDefault();
        if (!isOpen(column)) return;
        const siblings = cardsIn(column);
        const index = siblings.indexOf(card);
        if (event.key === "ArrowUp" && index > 0) placeAndSave(card, column, siblings[index - 1], place);
        if (event.key === "ArrowDown" && index < siblings.length - 1) placeAndSave(card, column, siblings[index + 2] || null, place);
        card.focus();
      } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        event.preventDefault();
        const open = columns().filter(isOpen);
        const index = open.indexOf(column);
        const target = index === -1 ? null : open[index + (event.key === "ArrowLeft" ? -1 : 1)];
        if (target) {
          placeAndSave(card, target, null, place);
          card.focus();
        }
      }
    });

    if (alertBox) {
      alertBox.querySelector(".js-board-alert-close").addEventListener("click", hideError);
    }
  }

  // ---- Funnel chart -------------------------------------------------------------------------
  function initFunnel(canvas) {
    if (!window.Chart) return;
    const source = document.getElementById(canvas.dataset.source);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const money = new Intl.NumberFormat("es-ES", { style: "currency", currency: "EUR", useGrouping: "always" });
    const format = function (value) {
      try { return money.format(value); } catch (e) { return value + " €"; }
    };
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: canvas.dataset.labelTotal, data: data.totals.map(Number), backgroundColor: "rgba(31, 111, 235, .85)", borderRadius: 4, maxBarThickness: 26 },
          { label: canvas.dataset.labelWeighted, data: data.weighted.map(Number), backgroundColor: "rgba(25, 135, 84, .8)", borderRadius: 4, maxBarThickness: 26 },
        ],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: { duration: 300 },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (ctx) { return ctx.dataset.label + ": " + format(ctx.parsed.x); },
              afterTitle: function (items) {
                return items.length ? canvas.dataset.labelCount + ": " + data.counts[items[0].dataIndex] : "";
              },
            },
          },
        },
        scales: {
          x: { beginAtZero: true, grid: { color: "#eef1f5" }, ticks: { color: "#6c7a8d", callback: function (v) { return format(v); } } },
          y: { grid: { display: false }, ticks: { color: "#3b4a5e" } },
        },
      },
    });
  }

  // ---- Forms: party search box and lead conversion --------------------------------------------
  function initForms() {
    document.querySelectorAll(".js-party-search").forEach(function (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); input.dispatchEvent(new Event("search")); }
      });
    });
    document.querySelectorAll(".js-convert-form").forEach(function (form) {
      const select = form.querySelector(".js-party-select");
      const wrap = select ? select.parentElement : null;
      function toggle() {
        const checked = form.querySelector('input[name="mode"]:checked');
        if (wrap) wrap.classList.toggle("d-none", !checked || checked.value !== "existing");
      }
      form.addEventListener("change", function (event) { if (event.target.name === "mode") toggle(); });
      toggle();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".js-board").forEach(initBoard);
    document.querySelectorAll("canvas.js-funnel-chart").forEach(initFunnel);
    initForms();
  });
})();
