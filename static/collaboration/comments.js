// «Comentarios» card of a record page (templates/collaboration/_comments.html). The thread is an htmx
// fragment; this file only:
//  - refreshes it when the page's collaboration socket says so: static/collaboration/collab.js dispatches
//    a "collab:message" CustomEvent on document whose detail is the JSON message; on
//    {"type": "comments.changed", "key": <this card's record>} (or "resync" after a reconnect) the thread is
//    fetched again (if the user is writing, a button offers the refresh instead, so no typed text is lost);
//  - lets refused forms (400 / 403 / 409) replace the thread, so their messages show inline;
//  - autocompletes @mentions: "@" + 1 character asks the card's JSON endpoint for up to 8 colleagues who
//    may view the record, shows them in a dropdown and inserts "@handle ".
// No inline scripts (CSP); the card may be included more than once per page load, so this runs once.
(function () {
  "use strict";
  if (window.aitCollabComments) return;
  window.aitCollabComments = true;

  const TRIGGER = /(?:^|[^\p{L}\p{N}_.+@-])@([\p{L}\p{N}_.+-]{1,60})$/u;
  const SWAPPED_ERRORS = [400, 403, 409];
  let menu = null;
  let timer = null;
  let seq = 0;

  function cardOf(el) { return el && el.closest ? el.closest(".collab-comments") : null; }

  function busy(card) {
    return Array.from(card.querySelectorAll("textarea")).some(function (t) {
      return t === document.activeElement || t.value !== t.defaultValue || t.classList.contains("is-invalid");
    });
  }

  function refresh(card) {
    const thread = card.querySelector("#collab-comments-thread");
    const news = card.querySelector(".js-collab-comments-news");
    if (news) news.classList.add("d-none");
    if (thread && window.htmx) window.htmx.trigger(thread, "collab-comments-refresh");
  }

  document.addEventListener("collab:message", function (event) {
    const message = event.detail || {};
    // "resync": the socket came back after a gap, so changes may have been missed
    if (message.type !== "comments.changed" && message.type !== "resync") return;
    document.querySelectorAll(".collab-comments").forEach(function (card) {
      if (card.dataset.recordKey !== message.key) return;
      if (busy(card)) {
        const news = card.querySelector(".js-collab-comments-news");
        if (news) news.classList.remove("d-none");
      } else {
        refresh(card);
      }
    });
  });

  document.addEventListener("click", function (event) {
    const news = event.target.closest && event.target.closest(".js-collab-comments-news");
    if (news) refresh(cardOf(news));
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    const detail = event.detail;
    if (cardOf(detail.target) && SWAPPED_ERRORS.indexOf(detail.xhr.status) !== -1) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  // --- @mention autocomplete ---------------------------------------------------------------

  function closeMenu() {
    if (menu) menu.remove();
    menu = null;
  }

  function choose(textarea, item) {
    const caret = textarea.selectionStart;
    const before = textarea.value.slice(0, caret);
    const match = TRIGGER.exec(before);
    if (!match) return closeMenu();
    const start = caret - match[1].length;
    const inserted = item.dataset.handle + " ";
    textarea.value = before.slice(0, start) + inserted + textarea.value.slice(caret);
    textarea.selectionStart = textarea.selectionEnd = start + inserted.length;
    closeMenu();
    textarea.focus();
  }

  function show(textarea, results) {
    closeMenu();
    if (!results.length) return;
    menu = document.createElement("ul");
    menu.className = "dropdown-menu show collab-mention-menu";
    menu.setAttribute("role", "listbox");
    menu.style.position = "absolute";
    menu.style.top = "100%";
    menu.style.left = "0";
    menu.style.zIndex = "1080";
    results.forEach(function (result, index) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "dropdown-item small" + (index === 0 ? " active" : "");
      button.setAttribute("role", "option");
      button.dataset.handle = result.handle;
      const name = document.createElement("span");
      name.textContent = result.name + " ";
      const handle = document.createElement("span");
      handle.className = "text-body-secondary";
      handle.textContent = "@" + result.handle;
      button.append(name, handle);
      button.addEventListener("mousedown", function (e) { e.preventDefault(); choose(textarea, button); });
      li.appendChild(button);
      menu.appendChild(li);
    });
    textarea.parentElement.appendChild(menu);
  }

  function lookup(textarea) {
    const card = cardOf(textarea);
    const match = TRIGGER.exec(textarea.value.slice(0, textarea.selectionStart));
    if (!card || !match) return closeMenu();
    const mine = ++seq;
    const url = card.dataset.mentionsUrl + "&q=" + encodeURIComponent(match[1]);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (mine === seq && document.activeElement === textarea) show(textarea, data.results || []); })
      .catch(closeMenu);
  }

  document.addEventListener("input", function (event) {
    const textarea = event.target;
    if (!textarea.classList || !textarea.classList.contains("js-collab-mention")) return;
    clearTimeout(timer);
    timer = setTimeout(function () { lookup(textarea); }, 150);
  });

  document.addEventListener("keydown", function (event) {
    if (!menu || !event.target.classList || !event.target.classList.contains("js-collab-mention")) return;
    const items = Array.from(menu.querySelectorAll(".dropdown-item"));
    let index = items.findIndex(function (item) { return item.classList.contains("active"); });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      index = (index + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items.forEach(function (item, i) { item.classList.toggle("active", i === index); });
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      choose(event.target, items[Math.max(index, 0)]);
    } else if (event.key === "Escape") {
      closeMenu();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target.classList && event.target.classList.contains("js-collab-mention")) setTimeout(closeMenu, 150);
  });
  document.addEventListener("htmx:beforeSwap", closeMenu);
})();
