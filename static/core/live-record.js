// Live record pages. An element with data-live-record="crm.party.12" follows that record on
// /ws/records/ (data-live-ws); when the server says the record changed, this page is fetched
// again and the element's content is replaced by the fresh one (same id). Nothing but the key
// travels on the socket: what is shown comes from the page's own permission-checked view.
// A status badge (#live-record-status) tells whether the page is live. No inline scripts (CSP).
(function () {
  "use strict";

  const REFRESH_DELAY_MS = 300; // several changes committed together: one refresh

  function setStatus(text, updated) {
    const badge = document.getElementById("live-record-status");
    if (!badge) return;
    badge.textContent = text || "";
    badge.classList.toggle("d-none", !text);
    badge.classList.toggle("text-bg-success", Boolean(updated));
    badge.classList.toggle("text-bg-light", !updated);
  }

  function refresh(el) {
    return fetch(window.location.href, { credentials: "same-origin", headers: { "X-Live-Record": el.dataset.liveRecord } })
      .then(function (response) {
        if (response.status === 404 || response.status === 403) {
          window.location.reload(); // gone (merged, erased) or no longer visible: show the page that says so
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        const fresh = new DOMParser().parseFromString(html, "text/html").getElementById(el.id);
        if (!fresh) return;
        el.replaceChildren.apply(el, Array.from(fresh.childNodes).map(function (node) { return document.importNode(node, true); }));
        if (window.htmx) window.htmx.process(el);
        el.dispatchEvent(new CustomEvent("live-record:refreshed", { bubbles: true, detail: { key: el.dataset.liveRecord } }));
        const badge = document.getElementById("live-record-status");
        if (badge) {
          const time = new Date().toLocaleTimeString(document.documentElement.lang || "es", { hour: "2-digit", minute: "2-digit" });
          setStatus(badge.dataset.updatedLabel + " " + time, true);
        }
      })
      .catch(function () { /* offline for a moment: the next change tries again */ });
  }

  function follow(el) {
    const key = el.dataset.liveRecord;
    if (!key || !window.WebSocket) return;
    const badge = document.getElementById("live-record-status");
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const url = scheme + window.location.host + (el.dataset.liveWs || "/ws/records/") + "?key=" + encodeURIComponent(key);
    let delay = 1000;
    let timer = null;
    (function open() {
      const socket = new WebSocket(url);
      socket.onopen = function () {
        delay = 1000;
        if (badge && !badge.classList.contains("text-bg-success")) setStatus(badge.dataset.liveLabel, false);
      };
      socket.onmessage = function (event) {
        const data = JSON.parse(event.data);
        if (data.type !== "record.changed" || data.key !== key) return;
        clearTimeout(timer);
        timer = setTimeout(function () { refresh(el); }, REFRESH_DELAY_MS);
      };
      socket.onclose = function (event) {
        setStatus("", false);
        if (event.code === 4401 || event.code === 4403 || event.code === 4404) return;
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      };
    })();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live-record]").forEach(follow);
  });
})();
