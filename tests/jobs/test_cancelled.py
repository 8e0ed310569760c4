"""A cancelled job reads as finished everywhere: «Cancelado», a still grey bar, no «Cancelar» button, on the
page as served and after the live update that static/core/app.js applies (run in node on a stub DOM)."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from apps.jobs.choices import JobStatus
from apps.jobs.models import JobRun
from apps.jobs.services.runs import job_cancel

APP_JS = Path(__file__).resolve().parents[2] / "static" / "core" / "app.js"


def test_a_cancelled_job_page_shows_cancelado_without_cancel_button(client_a, admin_a):
    job = JobRun.objects.create(user=admin_a, task_name="x", label="Cálculo de provisiones", progress=40,
                                status=JobStatus.RUNNING)
    job_cancel(actor=admin_a, job=job)
    page = client_a.get(f"/r/jobs/jobrun/{job.pk}/").content.decode()
    assert "Cancelado" in page and f"Cancelado por {admin_a.email}" in page
    assert "progress-bar-animated" not in page and "bg-secondary js-job-bar" in page
    assert f"/procesos/{job.pk}/cancelar/" not in page
    assert client_a.post(f"/procesos/{job.pk}/cancelar/").status_code == 302  # refused with a message, no 500
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED


def test_the_cancel_message_pushed_live_says_cancelado(admin_a, monkeypatch):
    from apps.jobs.services import runs

    pushed = []
    monkeypatch.setattr(runs, "_push", lambda job: pushed.append(job.as_message()))
    job = JobRun.objects.create(user=admin_a, task_name="x", label="Proceso", status=JobStatus.PENDING)
    job_cancel(actor=admin_a, job=job)
    assert [(m["status"], m["status_label"]) for m in pushed] == [("cancelled", "Cancelado")]


STUB_DOM = r"""
const fs = require("fs");
function classes(initial) {
  const set = new Set(initial);
  return { contains: (c) => set.has(c), add: (c) => set.add(c), remove: (c) => set.delete(c),
           toggle: (c, on) => {
             const want = on === undefined ? !set.has(c) : on;
             if (want) set.add(c); else set.delete(c);
             return want;
           },
           list: () => Array.from(set).sort() };
}
function el(names, extra) {
  return Object.assign({ classList: classes(names), attributes: {}, style: {}, dataset: {}, textContent: "",
                         removed: false, setAttribute(k, v) { this.attributes[k] = v; },
                         remove() { this.removed = true; }, addEventListener() {} }, extra || {});
}
const bar = el(["progress-bar", "progress-bar-striped", "progress-bar-animated", "js-job-bar"]);
const progress = el(["progress"], { querySelector: () => bar });
const badge = el(["badge", "js-job-status", "text-bg-primary"]);
const cancelForm = el(["card-footer", "js-job-cancel"]);
const message = el(["js-job-message"]);
const listeners = {};
global.window = { location: { protocol: "http:", host: "alfa.test", search: "" } };
global.document = {
  documentElement: { lang: "es" },
  body: el([]),
  addEventListener: (type, fn) => { listeners[type] = fn; },
  getElementById: (id) => (id === "notification-bell" ? { dataset: { ws: "/ws/notifications/" } } : null),
  querySelector: () => null,
  querySelectorAll: (sel) => (sel === '[data-job-id="7"]' ? [progress, badge, cancelForm]
                              : sel === ".js-job-message" ? [message] : []),
};
let socket = null;
global.WebSocket = function () { socket = this; };
global.setTimeout = () => {};
eval(fs.readFileSync(process.argv[1], "utf8"));
listeners.DOMContentLoaded();
socket.onmessage({ data: process.argv[2] });
console.log(JSON.stringify({ bar: bar.classList.list(), width: bar.style.width, badge: badge.textContent,
                             tone: badge.classList.list(), cancelRemoved: cancelForm.removed,
                             message: message.textContent }));
"""


def _apply_live_update(message: dict) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node no está instalado")
    done = subprocess.run([node, "-e", STUB_DOM, str(APP_JS), json.dumps(message)], capture_output=True, text=True,
                          timeout=30, check=True)
    return json.loads(done.stdout)


def test_the_page_treats_a_cancelled_job_as_finished():
    seen = _apply_live_update({"type": "job", "id": 7, "status": "cancelled", "status_label": "Cancelado",
                               "progress": 40, "message": "Cancelado por ana@alfa.test", "error": ""})
    assert seen["badge"] == "Cancelado"
    assert "text-bg-secondary" in seen["tone"] and "text-bg-primary" not in seen["tone"]
    assert "progress-bar-animated" not in seen["bar"] and "progress-bar-striped" not in seen["bar"]
    assert "bg-secondary" in seen["bar"] and seen["width"] == "40%"
    assert seen["cancelRemoved"] is True and seen["message"] == "Cancelado por ana@alfa.test"


def test_a_running_job_keeps_moving_and_cancellable():
    seen = _apply_live_update({"type": "job", "id": 7, "status": "running", "status_label": "En curso",
                               "progress": 55, "message": "", "error": ""})
    assert seen["badge"] == "En curso" and "progress-bar-animated" in seen["bar"]
    assert seen["cancelRemoved"] is False
