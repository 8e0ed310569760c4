// Live record pages. Nothing but record keys ("crm.party.12") travels on /ws/records/: what is
// shown comes from the page's own permission-checked view, fetched again (same URL, query string
// kept) when the server says a followed record changed. No inline scripts (CSP).
//
//  data-live-record="k"      a detail page's part: its content is replaced by the fresh one (same
//                            id). Parts marked data-live-keep (with an id: the collaboration panel)
//                            stay as they are; while a form inside is being filled in, the refresh
//                            waits and the status badge offers it ("Hay cambios: actualizar").
//  data-live-records="k1 k2" a list's table body following the rows it shows (20 keys a socket):
//                            replaced by the fresh one, with the ids in data-live-also (totals).
//  data-live-form-key="k"    inside an edit form (templates/core/_edit_guard.html): never refreshed;
//                            when the record's version moves past data-live-version, the warning
//                            shows with its «Comparar» button.
// A status badge (#live-record-status) tells whether the page is live.
(function () {
  "use strict";

  const REFRESH_DELAY_MS = 300; // several changes committed together: one refresh
  const KEYS_PER_SOCKET = 20; // apps.notifications.consumers.MAX_RECORDS_PER_SOCKET
  const MAX_SOCKETS = 3;
  const bound = new Map(); // element -> {close()}

  function badge() { return document.getElementById("live-record-status"); }

  function setStatus(text, state) {
    const el = badge();
    if (!el) return;
    el.textContent = text || "";
    el.classList.toggle("d-none", !text);
    el.classList.toggle("text-bg-success", state === "updated");
    el.classList.toggle("text-bg-warning", state === "pending");
    el.classList.toggle("text-bg-light", state !== "updated" && state !== "pending");
    if (state === "pending") {
      el.setAttribute("role", "button");
      el.tabIndex = 0;
    } else {
      el.setAttribute("role", "status");
      el.removeAttribute("tabindex");
    }
  }

  function markUpdated() {
    const el = badge();
    if (!el || el.classList.contains("text-bg-warning")) return;
    const time = new Date().toLocaleTimeString(document.documentElement.lang || "es", { hour: "2-digit", minute: "2-digit" });
    setStatus((el.dataset.updatedLabel || "Actualizado") + " " + time, "updated");
  }

  // One socket following `keys`; onChange(key) on each "record.changed"; reconnects with a backoff.
  function openSocket(keys, path, onChange) {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const query = keys.map(function (key) { return "key=" + encodeURIComponent(key); }).join("&");
    const url = scheme + window.location.host + (path || "/ws/records/") + "?" + query;
    let delay = 1000;
    let socket = null;
    let stopped = false;
    (function open() {
      socket = new WebSocket(url);
      socket.onopen = function () {
        delay = 1000;
        const el = badge();
        if (el && el.classList.contains("d-none")) setStatus(el.dataset.liveLabel, "live");
      };
      socket.onmessage = function (event) {
        const data = JSON.parse(event.data);
        if (data.type === "record.changed" && keys.indexOf(data.key) !== -1) onChange(data.key);
      };
      socket.onclose = function (event) {
        if (stopped) return;
        const el = badge();
        if (el && !el.classList.contains("text-bg-warning")) setStatus("", "live");
        if (event.code === 4401 || event.code === 4403 || event.code === 4404) return;
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      };
    })();
    return { close: function () { stopped = true; if (socket) socket.close(); } };
  }

  function follow(el, keys, onChange) {
    if (!keys.length || !window.WebSocket || bound.has(el)) return;
    const sockets = [];
    for (let i = 0; i < keys.length && sockets.length < MAX_SOCKETS; i += KEYS_PER_SOCKET) {
      sockets.push(openSocket(keys.slice(i, i + KEYS_PER_SOCKET), el.dataset.liveWs, onChange));
    }
    bound.set(el, { close: function () { sockets.forEach(function (s) { s.close(); }); } });
  }

  function unfollow(el) {
    const entry = bound.get(el);
    if (entry) entry.close();
    bound.delete(el);
  }

  function debounced(fn) {
    let timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, REFRESH_DELAY_MS); };
  }

  // The page again, as the server renders it now (null when it could not be read). A record gone
  // (merged, erased) or no longer visible: the page is reloaded to say so, or onGone() is called.
  function freshPage(key, onGone) {
    return fetch(window.location.href, { credentials: "same-origin", headers: { "X-Live-Record": key } })
      .then(function (response) {
        if (response.status === 404 || response.status === 403) {
          if (onGone) onGone(); else window.location.reload();
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) { return html ? new DOMParser().parseFromString(html, "text/html") : null; })
      .catch(function () { return null; }); // offline for a moment: the next change tries again
  }

  function processed(node) {
    if (window.htmx) window.htmx.process(node);
    return node;
  }

  // --- A detail page's part -----------------------------------------------------------------------

  document.addEventListener("input", function (event) {
    const form = event.target && event.target.form;
    if (form) form.dataset.liveDirty = "1";
  });

  function outsideKept(node) { return !node.closest("[data-live-keep]"); }

  function beingEdited(el) {
    const active = document.activeElement;
    if (active && active !== document.body && el.contains(active) && active.form && outsideKept(active)) return true;
    return Array.from(el.querySelectorAll("form[data-live-dirty]")).some(outsideKept);
  }

  function replaceContent(el, fresh) {
    const kept = Array.from(el.querySelectorAll("[data-live-keep][id]"));
    el.replaceChildren.apply(el, Array.from(fresh.childNodes).map(function (node) { return document.importNode(node, true); }));
    kept.forEach(function (node) {
      const slot = document.getElementById(node.id);
      if (slot && slot !== node) slot.replaceWith(node);
    });
    processed(el);
  }

  function refreshRecord(el, force) {
    const key = el.dataset.liveRecord;
    if (!force && beingEdited(el)) {
      el.dataset.livePending = "1";
      const status = badge();
      if (status) setStatus(status.dataset.pendingLabel || "Hay cambios: actualizar", "pending");
      return;
    }
    delete el.dataset.livePending;
    freshPage(key).then(function (doc) {
      const fresh = doc && doc.getElementById(el.id);
      if (!fresh) return;
      replaceContent(el, fresh);
      el.dispatchEvent(new CustomEvent("live-record:refreshed", { bubbles: true, detail: { key: key } }));
      const status = badge();
      if (status && status.classList.contains("text-bg-warning")) setStatus(status.dataset.liveLabel, "live");
      markUpdated();
    });
  }

  function refreshPending() {
    document.querySelectorAll("[data-live-record][data-live-pending]").forEach(function (el) { refreshRecord(el, true); });
  }

  document.addEventListener("click", function (event) {
    if (event.target && event.target.id === "live-record-status" && event.target.classList.contains("text-bg-warning")) refreshPending();
  });
  document.addEventListener("keydown", function (event) {
    if ((event.key === "Enter" || event.key === " ") && event.target && event.target.id === "live-record-status"
        && event.target.classList.contains("text-bg-warning")) {
      event.preventDefault();
      refreshPending();
    }
  });

  function followRecord(el) {
    follow(el, [el.dataset.liveRecord], debounced(function () { refreshRecord(el, false); }));
  }

  // --- A list's table body ------------------------------------------------------------------------

  function keysOf(el) { return (el.dataset.liveRecords || "").split(/\s+/).filter(Boolean); }

  function refreshList(el) {
    freshPage(keysOf(el)[0] || "").then(function (doc) {
      if (!doc || !el.isConnected) return;
      const fresh = doc.getElementById(el.id);
      if (!fresh) return;
      (el.dataset.liveAlso || "").split(/\s+/).filter(Boolean).forEach(function (id) {
        const mine = document.getElementById(id);
        const theirs = doc.getElementById(id);
        if (mine && theirs) mine.replaceWith(processed(document.importNode(theirs, true)));
      });
      const node = document.importNode(fresh, true);
      unfollow(el);
      el.replaceWith(node);
      processed(node);
      followList(node); // the rows shown may be others now
      markUpdated();
    });
  }

  function followList(el) {
    follow(el, keysOf(el), debounced(function () { refreshList(el); }));
  }

  // --- An edit form -------------------------------------------------------------------------------

  // The key also changes with what the record's page shows (a policy's receipts…): the warning shows
  // only when the record's own version moved on (read from the form page as the server renders it now).
  function followForm(el) {
    const key = el.dataset.liveFormKey;
    function warn() {
      el.classList.remove("d-none");
      el.classList.add("d-flex");
    }
    follow(el, [key], debounced(function () {
      freshPage(key, warn).then(function (doc) { // never reloads: what the user typed stays
        const fresh = doc && doc.querySelector("[data-live-form-key]");
        if (fresh && fresh.dataset.liveVersion !== el.dataset.liveVersion) warn();
      });
    }));
  }

  function scan() {
    bound.forEach(function (_entry, el) { if (!el.isConnected) unfollow(el); });
    document.querySelectorAll("[data-live-record]").forEach(followRecord);
    document.querySelectorAll("[data-live-records]").forEach(followList);
    document.querySelectorAll("[data-live-form-key]").forEach(followForm);
  }

  document.addEventListener("DOMContentLoaded", scan);
  document.addEventListener("htmx:afterSettle", scan); // a filtered list brings another table body
})();
