// «Mis ausencias»: shows the days a request takes and the balance left while the user fills in the form, from
// GET hr/leave/requests/preview/ (the same rules as sending it). The «Calcular días» button does the same
// without JavaScript. No inline scripts.
(function () {
  "use strict";

  function iso(value) {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec((value || "").trim());
    if (m) return m[3] + "-" + m[2].padStart(2, "0") + "-" + m[1].padStart(2, "0");
    return /^\d{4}-\d{2}-\d{2}$/.test((value || "").trim()) ? value.trim() : "";
  }

  function days(value) {
    return String(value).replace(/\.0$/, "").replace(".", ",");
  }

  function refresh(form, out) {
    const type = form.querySelector("[name=leave_type]").value;
    const start = iso(form.querySelector("[name=start_date]").value);
    const end = iso(form.querySelector("[name=end_date]").value);
    if (!type || !start || !end) { out.hidden = true; return; }
    const url = form.dataset.previewUrl + "?" + new URLSearchParams({leave_type: type, start_date: start, end_date: end});
    fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
      .then(function (result) {
        const ok = result[0], body = result[1];
        out.hidden = false;
        out.className = "alert mt-3 mb-0 " + (ok ? "alert-info" : "alert-danger");
        out.textContent = "";
        if (!ok) { out.textContent = body.detail || Object.values(body).flat().join(" "); return; }
        let text = form.dataset.daysLabel.replace("%s", days(body.days));
        if (body.available_after !== null) text += " " + form.dataset.leftLabel.replace("%s", days(body.available_after));
        out.append(text);
        (body.warnings || []).forEach(function (warning) {
          const line = document.createElement("div");
          line.className = "text-warning-emphasis";
          line.textContent = warning;
          out.append(line);
        });
      })
      .catch(function () { out.hidden = true; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("leave-request-form");
    const out = document.getElementById("leave-live");
    if (!form || !out) return;
    form.addEventListener("change", function () { refresh(form, out); });
  });
})();
