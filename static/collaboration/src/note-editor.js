// Shared note of a record page (templates/collaboration/_note.html): a Quill editor bound to a Yjs document
// that several people edit at once, synced over /ws/notes/?key=… (apps.collaboration.consumers_notes).
// Source of static/vendor/collab/note-editor.js: scripts/vendor_assets.py bundles it with esbuild from the
// pinned npm packages at `make assets`. No inline scripts; labels come from the card's data-label-* attributes.
//
// Protocol: the server sends the stored document first (note.sync, one Yjs update, base64); the tab sends
// its own changes as note.update (batched every FLUSH_MS, merged) and gets note.saved for each; the other
// tabs' changes arrive as note.update. After a reconnect the tab sends whatever the server lacks (the diff
// against the server's state vector), so edits made offline are kept. Cursors travel as y-protocols
// awareness updates (note.awareness); the server stamps them with the user's name and colour.
import * as Y from "yjs";
import Quill from "quill";
import QuillCursors from "quill-cursors/core";
import { QuillBinding } from "y-quill";
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from "y-protocols/awareness";
import { fromBase64, toBase64 } from "lib0/buffer";

const FLUSH_MS = 150;              // keystrokes within this window travel as one update
const CURSOR_MS = 200;             // cursor moves within this window travel once
const PING_MS = 25000;             // keeps proxies from closing an idle socket
const MAX_UPDATE_BYTES = 256 * 1024;
const FATAL = [4401, 4403, 4400, 1009]; // not logged in, not allowed, refused input: reconnecting would not help
const REMOTE = "note-server";       // origin of what the server sent (never sent back)

Quill.register("modules/cursors", QuillCursors);

function startNote(card) {
  const labels = card.dataset;
  const key = labels.recordKey;
  const holder = card.querySelector("[data-note-editor]");
  const fallback = card.querySelector("[data-note-fallback]");
  const statusBox = card.querySelector("[data-note-status]");
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  const quill = new Quill(holder, {
    theme: "snow",
    placeholder: labels.placeholder || "",
    formats: ["header", "bold", "italic", "underline", "strike", "list", "link", "blockquote"],
    modules: {
      cursors: { transformOnTextChange: true },
      history: { userOnly: true }, // undo only one's own changes, never a colleague's
      toolbar: [[{ header: [2, 3, false] }], ["bold", "italic", "underline", "strike"],
        [{ list: "ordered" }, { list: "bullet" }], ["link", "blockquote"], ["clean"]],
    },
  });
  quill.disable();
  new QuillBinding(doc.getText("quill"), quill, awareness); // eslint-disable-line no-new

  let socket = null;
  let synced = false;        // the server's document arrived on this socket
  let everSynced = false;
  let pending = [];          // own updates not sent yet
  let inflight = 0;          // sent, not acknowledged
  let flushTimer = null;
  let cursorTimer = null;
  let retryMs = 1000;
  let pinger = null;
  let fatal = false;         // refused for good (see FATAL)
  let leaving = false;       // the page is being hidden

  function setStatus(state, message) {
    statusBox.dataset.state = state;
    statusBox.textContent = message || labels["label" + state.charAt(0).toUpperCase() + state.slice(1)] || "";
    statusBox.classList.toggle("text-danger", state === "error" || state === "offline");
    statusBox.classList.toggle("text-body-secondary", state !== "error" && state !== "offline");
  }

  function refreshStatus() {
    if (!synced) return setStatus(socket && socket.readyState === WebSocket.CONNECTING ? "connecting" : "offline");
    setStatus(pending.length || inflight ? "saving" : "saved");
  }

  function send(message) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  function sendUpdate(update) {
    if (update.length > MAX_UPDATE_BYTES) {
      setStatus("error", labels.labelTooLarge);
      return;
    }
    if (send({ type: "note.update", update: toBase64(update) })) inflight += 1;
  }

  function flush() {
    flushTimer = null;
    if (!synced || !pending.length) return refreshStatus();
    const update = pending.length === 1 ? pending[0] : Y.mergeUpdates(pending);
    pending = [];
    sendUpdate(update);
    refreshStatus();
  }

  function sendCursor() {
    cursorTimer = null;
    if (synced && awareness.getLocalState() !== null) {
      send({ type: "note.awareness", update: toBase64(encodeAwarenessUpdate(awareness, [doc.clientID])) });
    }
  }

  doc.on("update", function (update, origin) {
    if (origin === REMOTE) return;
    pending.push(update);
    if (!flushTimer) flushTimer = setTimeout(flush, FLUSH_MS);
    refreshStatus();
  });

  awareness.on("update", function (changes, origin) {
    if (origin === REMOTE) return;
    const mine = changes.added.concat(changes.updated, changes.removed).indexOf(doc.clientID) >= 0;
    if (mine && !cursorTimer) cursorTimer = setTimeout(sendCursor, CURSOR_MS);
  });

  function onSync(message) {
    const serverState = fromBase64(message.update);
    Y.applyUpdate(doc, serverState, REMOTE);
    // Everything the server lacks: edits made before this socket opened (offline, or lost in flight).
    const missing = Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(serverState));
    pending = [];
    inflight = 0;
    synced = true;
    if (message.user) awareness.setLocalStateField("user", { name: message.user.name, color: message.user.color });
    if (everSynced && missing.length > 2) sendUpdate(missing); // 2 bytes: an empty update
    if (!everSynced) {
      everSynced = true;
      fallback.classList.add("d-none");
      holder.parentElement.classList.remove("d-none");
    }
    quill.enable();
    sendCursor();
    refreshStatus();
  }

  function onMessage(event) {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (err) {
      return;
    }
    if (message.type === "note.sync") onSync(message);
    else if (message.type === "note.update") Y.applyUpdate(doc, fromBase64(message.update), REMOTE);
    else if (message.type === "note.awareness") applyAwarenessUpdate(awareness, fromBase64(message.update), REMOTE);
    else if (message.type === "note.joined") sendCursor();
    else if (message.type === "note.saved") {
      inflight = Math.max(0, inflight - 1);
      refreshStatus();
    } else if (message.type === "error") {
      inflight = Math.max(0, inflight - 1);
      setStatus("error", message.message);
    }
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/notes/?key=" + encodeURIComponent(key));
    refreshStatus();
    socket.addEventListener("open", function () {
      retryMs = 1000;
      pinger = setInterval(function () { send({ type: "ping" }); }, PING_MS);
    });
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", function (event) {
      synced = false;
      clearInterval(pinger);
      const others = Array.from(awareness.getStates().keys()).filter(function (id) { return id !== doc.clientID; });
      removeAwarenessStates(awareness, others, REMOTE);
      if (FATAL.indexOf(event.code) >= 0) {
        fatal = true;
        quill.disable();
        if (statusBox.dataset.state !== "error") setStatus("error", labels.labelRefused);
        return;
      }
      refreshStatus();
      if (!leaving) setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    });
  }

  window.addEventListener("pagehide", function () {
    leaving = true;
    if (socket) socket.close(1000);
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && leaving && !fatal) { // back from the page cache: open a new socket
      leaving = false;
      connect();
    }
  });
  connect();
}

function init() {
  document.querySelectorAll("[data-collab-note]").forEach(function (card) {
    if (card.dataset.noteStarted) return; // included twice: one editor per card
    card.dataset.noteStarted = "1";
    startNote(card);
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
