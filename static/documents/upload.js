// «Documentos» panel of a record page (templates/documents/_panel.html) and a document's page:
//  - drop several files on the zone (or choose them): each goes in its own XMLHttpRequest to the form's
//    action with the form's fields (record key, category, expiry), showing a progress bar per file
//    (xhr.upload.onprogress) and, when refused, the server's message under that file;
//  - «Nueva versión» on a row: the chosen file goes to that document's version URL the same way;
//  - after a batch, the panel's list is fetched again (data-panel-url: the body the page loaded with htmx);
//  - deleting asks first (data-confirm).
// The CSRF token travels as the X-CSRFToken header. No inline scripts (CSP); runs once per page.
(function () {
  "use strict";
  if (window.aitDocumentsUpload) return;
  window.aitDocumentsUpload = true;

  function panelOf(el) { return el.closest(".documents-panel"); }

  function csrf(form) {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The panel's body is re-read; only its list is replaced (the drop zone keeps its progress bars).
  function refreshList(panel) {
    const list = panel.querySelector(".js-documents-list");
    const url = panel.dataset.panelUrl + "&next=" + encodeURIComponent(window.location.pathname + window.location.search);
    fetch(url, {headers: {"X-Requested-With": "XMLHttpRequest"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || !list) return;
        const fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".js-documents-list");
        if (fresh) list.innerHTML = fresh.innerHTML;
      });
  }

  function row(list, name) {
    const item = document.createElement("li");
    item.className = "mb-1";
    const label = document.createElement("div");
    label.className = "text-truncate";
    label.textContent = name;
    const bar = document.createElement("div");
    bar.className = "progress";
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", name);
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    bar.setAttribute("aria-valuenow", "0");
    bar.style.height = "0.5rem";
    const fill = document.createElement("div");
    fill.className = "progress-bar";
    fill.style.width = "0%";
    bar.appendChild(fill);
    const message = document.createElement("div");
    message.className = "small";
    item.append(label, bar, message);
    list.appendChild(item);
    return {
      progress: function (percent) { fill.style.width = percent + "%"; bar.setAttribute("aria-valuenow", String(percent)); },
      done: function () { this.progress(100); fill.classList.add("bg-success"); },
      fail: function (text) { fill.classList.add("bg-danger"); fill.style.width = "100%"; message.className = "small text-danger"; message.textContent = text; }
    };
  }

  function send(form, file, ui) {
    return new Promise(function (resolve) {
      const data = new FormData();
      form.querySelectorAll("input[name]:not([type=file]), select[name], textarea[name]").forEach(function (field) {
        data.append(field.name, field.value);
      });
      data.append("file", file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRFToken", csrf(form));
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) ui.progress(Math.round(event.loaded * 100 / event.total));
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) { ui.done(); resolve(true); return; }
        let text = xhr.statusText || "Error";
        try { text = JSON.parse(xhr.responseText).error || text; } catch (e) { /* not JSON */ }
        ui.fail(text);
        resolve(false);
      };
      xhr.onerror = function () { ui.fail(form.dataset.networkError || "Error de red"); resolve(false); };
      xhr.send(data);
    });
  }

  function uploadAll(form, files) {
    const panel = panelOf(form);
    const list = form.querySelector(".js-documents-progress");
    const limits = panel.querySelector(".js-documents-upload");  // data-max-bytes, data-too-big
    const max = limits ? Number(limits.dataset.maxBytes || 0) : 0;
    const sends = Array.from(files).map(function (file) {
      const ui = row(list, file.name);
      if (max && file.size > max) { ui.fail(limits.dataset.tooBig); return Promise.resolve(false); }
      return send(form, file, ui);
    });
    Promise.all(sends).then(function (results) {
      if (results.some(Boolean)) refreshList(panel);
    });
  }

  document.addEventListener("change", function (event) {
    const input = event.target.closest && event.target.closest(".js-documents-input");
    if (!input || !input.files.length) return;
    const form = input.closest("form");
    if (!form || !panelOf(form)) return;  // a plain form (the document's page) submits as usual
    uploadAll(form, input.files);
    input.value = "";
  });

  ["dragenter", "dragover"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      const zone = event.target.closest && event.target.closest(".js-documents-drop");
      if (!zone) return;
      event.preventDefault();
      zone.classList.add("border-primary", "bg-light");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      const zone = event.target.closest && event.target.closest(".js-documents-drop");
      if (!zone) return;
      event.preventDefault();
      zone.classList.remove("border-primary", "bg-light");
      if (name === "drop" && event.dataTransfer && event.dataTransfer.files.length) {
        uploadAll(zone.closest("form"), event.dataTransfer.files);
      }
    });
  });

  document.addEventListener("submit", function (event) {
    if (event.target.closest && event.target.closest(".js-documents-upload, .js-documents-version")) {
      event.preventDefault();  // files go as soon as they are chosen or dropped
      return;
    }
    const form = event.target.closest && event.target.closest(".js-documents-delete");
    if (!form) return;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); return; }
    const panel = panelOf(form);
    if (!panel) return;
    event.preventDefault();
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        headers: {"X-CSRFToken": csrf(form), "X-Requested-With": "XMLHttpRequest"}})
      .then(function () { refreshList(panel); });
  });
})();
