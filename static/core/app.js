// AIT-CORE staff shell: live notifications and job progress over /ws/notifications/,
// charts from json_script data, small progressive enhancements. No inline scripts (CSP).
(function () {
  "use strict";

  function toast(title, body) {
    const box = document.getElementById("toasts");
    if (!box || !window.bootstrap) return;
    const el = document.createElement("div");
    el.className = "toast";
    el.setAttribute("role", "status");
    const header = document.createElement("div");
    header.className = "toast-header";
    const strong = document.createElement("strong");
    strong.className = "me-auto";
    strong.textContent = title;
    header.appendChild(strong);
    el.appendChild(header);
    if (body) {
      const content = document.createElement("div");
      content.className = "toast-body";
      content.textContent = body;
      el.appendChild(content);
    }
    box.appendChild(el);
    new window.bootstrap.Toast(el).show();
  }

  function setUnread(count) {
    const badge = document.getElementById("notification-count");
    if (!badge) return;
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.classList.toggle("d-none", !count);
  }

  // A job ends succeeded, failed or cancelled (apps/jobs/choices.py FINISHED_STATUSES): then the bar stops
  // moving and the «Cancelar» button goes away.
  const JOB_FINISHED = { succeeded: true, failed: true, cancelled: true };
  const JOB_LABELS = { succeeded: "Terminado", failed: "Fallido", cancelled: "Cancelado" };

  function updateJob(job) {
    const finished = JOB_FINISHED[job.status] === true;
    document.querySelectorAll('[data-job-id="' + job.id + '"]').forEach(function (el) {
      if (el.classList.contains("progress")) {
        el.setAttribute("aria-valuenow", job.progress);
        const bar = el.querySelector(".js-job-bar");
        bar.style.width = job.progress + "%";
        bar.textContent = job.progress + " %";
        bar.classList.toggle("progress-bar-animated", !finished);
        bar.classList.toggle("progress-bar-striped", !finished);
        bar.classList.toggle("bg-success", job.status === "succeeded");
        bar.classList.toggle("bg-danger", job.status === "failed");
        bar.classList.toggle("bg-secondary", job.status === "cancelled");
      }
      if (el.classList.contains("js-job-status")) {
        el.textContent = job.status_label || JOB_LABELS[job.status] || job.status;
        if (el.classList.contains("badge")) {
          const tone = { succeeded: "success", failed: "danger", running: "primary" }[job.status] || "secondary";
          ["success", "danger", "primary", "secondary"].forEach(function (t) { el.classList.toggle("text-bg-" + t, t === tone); });
        }
      }
      if (finished && el.classList.contains("js-job-cancel")) el.remove();
    });
    document.querySelectorAll(".js-job-message").forEach(function (el) { el.textContent = job.error || job.message || ""; });
  }

  // The bell's socket. It remembers the newest notification id it has seen and, when the socket
  // drops and reconnects, asks for the ones created meanwhile (?since=<id>; the server answers with
  // one "resume" message, oldest first, plus the unread count).
  function connect() {
    const bell = document.getElementById("notification-bell");
    if (!bell) return;
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    let delay = 1000;
    let lastId = null;

    function fresh(notification) {
      if (!notification || (lastId !== null && notification.id <= lastId)) return false;
      lastId = notification.id;
      return true;
    }

    (function open() {
      const since = lastId !== null ? "?since=" + encodeURIComponent(lastId) : "";
      const socket = new WebSocket(scheme + window.location.host + bell.dataset.ws + since);
      socket.onopen = function () { delay = 1000; };
      socket.onmessage = function (event) {
        const data = JSON.parse(event.data);
        if (data.unread !== undefined) setUnread(data.unread);
        if (data.type === "hello" && lastId === null) lastId = data.last_id || 0;
        if (data.type === "notification" && fresh(data.notification)) toast(data.notification.title, data.notification.body);
        if (data.type === "resume") {
          const missed = (data.notifications || []).filter(fresh);
          missed.slice(-3).forEach(function (n) { toast(n.title, n.body); });
        }
        if (data.type === "job") updateJob(data);
      };
      socket.onclose = function (event) {
        if (event.code === 4400 || event.code === 4401 || event.code === 4404) return;
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      };
    })();
  }

  function charts() {
    if (!window.Chart) return;
    const locale = document.documentElement.lang || "es";
    document.querySelectorAll("canvas.js-bar-chart").forEach(function (canvas) {
      const source = document.getElementById(canvas.dataset.source);
      if (!source) return;
      const data = JSON.parse(source.textContent);
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [{
            label: canvas.dataset.label || "",
            data: data.values,
            backgroundColor: "rgba(31, 111, 235, .85)",
            hoverBackgroundColor: "#1f6feb",
            borderRadius: 4,
            maxBarThickness: 28,
          }],
        },
        options: {
          locale: locale,
          responsive: true,
          maintainAspectRatio: false,
          animation: { duration: 300 },
          plugins: { legend: { display: false }, tooltip: { displayColors: false } },
          scales: {
            x: { grid: { display: false }, ticks: { color: "#6c7a8d", autoSkip: false, maxRotation: 50 } },
            y: { beginAtZero: true, border: { display: false }, grid: { color: "#eef1f5" }, ticks: { precision: 0, color: "#6c7a8d" } },
          },
        },
      });
    });
  }

  // Multi-select filters rendered as a dropdown of checkboxes: keep the button's summary current.
  function multiSummary(container) {
    const summary = container.querySelector(".js-multi-summary");
    if (!summary) return;
    summary.textContent = "";
    container.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      const item = document.createElement("span");
      item.className = "app-multi-item";
      const label = container.querySelector('label[for="' + box.id + '"]');
      item.textContent = label ? label.textContent.trim() : box.value;
      summary.appendChild(item);
    });
  }

  // Export links follow the filters currently on screen (the toolbar is not re-rendered by htmx).
  function exportHref(link) {
    const form = link.closest("form");
    if (!form) return;
    const params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (key) { if (!params.get(key) || params.get(key) === "unknown") params.delete(key); });
    const order = new URLSearchParams(window.location.search).get("o");
    if (order && !params.has("o")) params.set("o", order);
    params.set("export", link.dataset.format);
    link.href = "?" + params.toString();
  }

  function enhancements() {
    document.querySelectorAll(".js-job-bar").forEach(function (bar) { bar.style.width = bar.dataset.progress + "%"; });
    document.querySelectorAll(".js-autosubmit").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    document.querySelectorAll(".app-multi").forEach(function (container) {
      container.addEventListener("change", function () { multiSummary(container); });
    });
    document.querySelectorAll(".js-export").forEach(function (link) {
      ["mousedown", "focus", "keydown"].forEach(function (type) { link.addEventListener(type, function () { exportHref(link); }); });
    });
    const toggle = document.querySelector(".js-nav-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        const open = document.body.classList.toggle("app-nav-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && document.body.classList.contains("app-nav-open")) {
          document.body.classList.remove("app-nav-open");
          toggle.setAttribute("aria-expanded", "false");
          toggle.focus();
        }
      });
    }
    document.body.addEventListener("click", function (event) {
      if (document.body.classList.contains("app-nav-open") && !event.target.closest(".app-sidebar, .js-nav-toggle")) {
        document.body.classList.remove("app-nav-open");
        if (toggle) toggle.setAttribute("aria-expanded", "false");
        return;
      }
      const row = event.target.closest(".app-row-link");
      if (row && !event.target.closest("a, button, input, label, select")) window.location = row.dataset.href;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhancements();
    charts();
    connect();
  });
})();
