// Collaboration socket of a record page. #collab-panel[data-record-key] opens /ws/collab/?key=…
// (apps.collaboration.consumers), reconnects with backoff, and dispatches every server message as the
// document event "collab:message" (detail = the message) for the other widgets (comments, note).
// After a reconnect it dispatches "collab:message" with {type: "resync"} (and "collab:resync") so they
// re-fetch what they may have missed. window.AitCollab.send(msg) sends a message (false when offline).
// Presence: avatars of who is on the record (one per user, however many tabs), in #collab-presence
// (templates/collaboration/_presence.html, which also holds the translated labels). No inline scripts.
(function () {
  "use strict";

  if (window.AitCollab) return; // included twice (a refreshed fragment): one socket per page
  const PING_MS = 25000;        // keeps proxies from closing an idle socket
  const DEAD_MS = 60000;        // nothing heard for this long: the socket is dead, reconnect
  const IDLE_MS = 30000;        // editing -> viewing after this long without typing or focus
  const SWEEP_MS = 5000;
  const NO_RETRY = [4401, 4403, 4404]; // not logged in, not allowed, unknown brokerage

  const tabs = new Map();       // tab id -> {user card, seen}
  let socket = null;
  let me = null;                // own card (presence.hello)
  let silenceMs = 50000;
  let mode = "viewing";
  let idleTimer = null;
  let opened = false;           // opened at least once: the next open is a reconnect
  let lastHeard = 0;

  function dispatch(message) {
    document.dispatchEvent(new CustomEvent("collab:message", { detail: message }));
  }

  function send(message) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  // --- presence list ---------------------------------------------------------------------------

  function remember(card) {
    if (card && card.tab) tabs.set(card.tab, { user: card, seen: Date.now() });
  }

  function people() {
    const byUser = new Map();
    tabs.forEach(function (entry) {
      const card = entry.user;
      const person = byUser.get(card.id) || { card: card, tabs: 0, editing: false, self: false };
      person.tabs += 1;
      person.editing = person.editing || card.mode === "editing";
      person.self = person.self || Boolean(me && me.id === card.id);
      byUser.set(card.id, person);
    });
    return Array.from(byUser.values()).sort(function (a, b) {
      return (b.self - a.self) || a.card.name.localeCompare(b.card.name);
    });
  }

  function render() {
    const box = document.getElementById("collab-presence");
    if (!box) return;
    const avatars = box.querySelector("[data-collab-avatars]");
    const count = box.querySelector("[data-collab-count]");
    const list = people();
    const labels = box.dataset;
    avatars.replaceChildren.apply(avatars, list.map(function (person) {
      const avatar = document.createElement("span");
      let tip = person.card.name + (person.self ? " (" + labels.labelYou + ")" : "") + " — " +
        (person.editing ? labels.labelEditing : labels.labelViewing);
      if (person.tabs > 1) tip += " · " + labels.labelTabs.replace("__N__", person.tabs);
      avatar.className = "collab-avatar rounded-circle d-inline-flex align-items-center justify-content-center " +
        "text-white fw-semibold small border border-2 " + (person.editing ? "border-warning" : "border-white");
      avatar.setAttribute("role", "listitem");
      avatar.title = tip;
      avatar.setAttribute("aria-label", tip);
      avatar.textContent = person.card.initials;
      avatar.dataset.userId = person.card.id;
      avatar.dataset.mode = person.editing ? "editing" : "viewing";
      avatar.style.backgroundColor = person.card.colour; // CSSOM, allowed by the CSP (no style attribute)
      avatar.style.width = avatar.style.height = "2rem";
      avatar.style.marginLeft = "-0.35rem";
      return avatar;
    }));
    count.textContent = list.length ? (list.length === 1 ? labels.labelOne : labels.labelMany.replace("__N__", list.length)) : "";
    box.classList.toggle("opacity-50", !socket || socket.readyState !== WebSocket.OPEN);
  }

  function sweep() {
    // Same factor as apps.collaboration.presence.heartbeat_scale: big rooms beat more slowly.
    const limit = Date.now() - silenceMs * Math.max(1, tabs.size / 25);
    let changed = false;
    tabs.forEach(function (entry, tab) {
      if (entry.seen < limit && !(me && tab === me.tab)) { tabs.delete(tab); changed = true; }
    });
    if (changed) render();
    if (socket && socket.readyState === WebSocket.OPEN && Date.now() - lastHeard > DEAD_MS) socket.close();
  }

  function onPresence(message) {
    if (message.type === "presence.hello") {
      me = message.user;
      silenceMs = (message.silence || 50) * 1000;
      tabs.clear();
      remember(me);
      if (mode === "editing") send({ type: "presence.mode", mode: mode }); // editing before the reconnect
    } else if (message.type === "presence.leave") {
      if (message.user) tabs.delete(message.user.tab);
    } else if (message.user) {
      remember(message.user); // join, here, mode, heartbeat: a member unknown so far is added
    }
    render();
  }

  // --- editing or viewing ----------------------------------------------------------------------

  function setMode(next) {
    if (next === mode) return;
    mode = next;
    send({ type: "presence.mode", mode: mode });
  }

  function onFormActivity(event) {
    const form = event.target && event.target.closest ? event.target.closest("form") : null;
    if (!form || form.matches("[role=search], [data-collab-ignore]")) return;
    setMode("editing");
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () { setMode("viewing"); }, IDLE_MS);
  }

  // --- the socket ------------------------------------------------------------------------------

  function connect(key) {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const url = scheme + window.location.host + "/ws/collab/?key=" + encodeURIComponent(key);
    let delay = 1000;
    (function open() {
      socket = new WebSocket(url);
      socket.onopen = function () {
        delay = 1000;
        lastHeard = Date.now();
        if (opened) {
          dispatch({ type: "resync", key: key });
          document.dispatchEvent(new CustomEvent("collab:resync", { detail: { key: key } }));
        }
        opened = true;
        render();
      };
      socket.onmessage = function (event) {
        lastHeard = Date.now();
        let message;
        try { message = JSON.parse(event.data); } catch (error) { return; }
        if (message && typeof message.type === "string" && message.type.indexOf("presence.") === 0) onPresence(message);
        dispatch(message);
      };
      socket.onclose = function (event) {
        tabs.clear(); // the others are heard again after the reconnect (presence.here)
        me = null;
        render();
        if (NO_RETRY.indexOf(event.code) !== -1) return;
        const wait = (event.code === 4429 ? Math.max(delay, 10000) : delay) * (0.75 + Math.random() / 2);
        setTimeout(open, wait);
        delay = Math.min(delay * 2, 30000);
      };
    })();
  }

  window.AitCollab = { send: send, key: null, people: people };

  function start() {
    const panel = document.querySelector("#collab-panel[data-record-key]");
    if (!panel || !window.WebSocket) return;
    window.AitCollab.key = panel.dataset.recordKey;
    connect(panel.dataset.recordKey);
    setInterval(function () { send({ type: "ping" }); }, PING_MS);
    setInterval(sweep, SWEEP_MS);
    document.addEventListener("focusin", onFormActivity);
    document.addEventListener("input", onFormActivity);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
