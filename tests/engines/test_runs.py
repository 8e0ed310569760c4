"""Engine runs: from the page and the API, idempotent while active, bad input ends FAILED with a clear
message (page and API), a cancelled run stops and reports «Cancelado», progress reaches the owner's
socket (real Redis channel layer), schedules start runs and move on."""
import datetime

import pytest
from django.utils import timezone

from apps.engines import registry as engines
from apps.engines.models import EngineRun, EngineSchedule
from apps.engines.services.runs import engine_run_cancel, engine_run_start
from apps.engines.services.schedules import schedules_run_due
from apps.engines.tasks import engine_run_task
from apps.jobs.choices import JobStatus
from apps.jobs.models import JobRun
from tests.engines.test_chain_ladder import RAA, square

LR_PARAMS = {"date_from": "2025-01-01", "date_to": "2025-06-30", "group_by": ["line"], "period": "quarter",
             "line": None, "insurer": None}
RAA_CSV = "origen;" + ";".join(str(12 * (k + 1)) for k in range(10)) + "\n" + "\n".join(
    f"{1981 + i};" + ";".join(str(v) for v in row) for i, row in enumerate(RAA))


def _run(run):
    engine_run_task.apply(args=[run.job_id])
    run.refresh_from_db()
    run.job.refresh_from_db()
    return run


def test_loss_ratio_run_stores_the_result_per_tenant(lr_data, admin_a):
    run, created = engine_run_start(actor=admin_a, engine_key="actuarial.loss_ratio",
                                    params={**LR_PARAMS, "line": lr_data["line"].pk})
    assert created and run.job.status == JobStatus.PENDING
    _run(run)
    assert run.job.status == JobStatus.SUCCEEDED and run.is_final
    assert run.result["data"]["totals"]["loss_ratio"] == "121.41"
    assert run.result["summary"][2]["value"] == "121,41 %"


def test_same_inputs_while_active_reuse_the_run(lr_data, admin_a):
    first, created = engine_run_start(actor=admin_a, engine_key="actuarial.loss_ratio", params=LR_PARAMS)
    again, created_again = engine_run_start(actor=admin_a, engine_key="actuarial.loss_ratio", params=dict(LR_PARAMS))
    assert created and not created_again and again.pk == first.pk
    other, created_other = engine_run_start(actor=admin_a, engine_key="actuarial.loss_ratio",
                                            params={**LR_PARAMS, "period": "month"})
    assert created_other and other.pk != first.pk
    _run(first)
    after, created_after = engine_run_start(actor=admin_a, engine_key="actuarial.loss_ratio", params=LR_PARAMS)
    assert created_after  # the first one finished: a new run


def test_bad_triangle_ends_failed_with_its_message_on_page_and_api(client_a, admin_a, tenant_a):
    bad = {"source": "csv", "kind": "paid", "mack": True, "bf": False,
           "triangle": {"origins": ["2022", "2023", "2024"], "developments": ["12", "24", "36"],
                        "values": [[100, 150, 160], [90, None, None], [80, None, None]], "premiums": None}}
    run, _ = engine_run_start(actor=admin_a, engine_key="actuarial.chain_ladder", params=bad)
    _run(run)
    assert run.job.status == JobStatus.FAILED and not run.is_final
    assert run.job.error.startswith("Falta la celda del origen 2, desarrollo 2")
    page = client_a.get(f"/motores/ejecuciones/{run.pk}/").content.decode()
    assert "Falta la celda del origen 2" in page and "Traceback" not in page and 'id="engine-result"' not in page
    body = client_a.get(f"/api/v1/engines/runs/{run.pk}/").json()
    assert body["status"] == "failed" and body["result"] is None and "Falta la celda" in body["error"]


def test_too_little_data_for_the_glm_and_empty_date_range(lr_data, admin_a):
    glm, _ = engine_run_start(actor=admin_a, engine_key="actuarial.pricing_glm",
                              params={"date_from": "2025-01-01", "date_to": "2025-06-30", "factors": ["line"]})
    empty, _ = engine_run_start(actor=admin_a, engine_key="actuarial.chain_ladder", params={
        "source": "data", "kind": "paid", "unit": "year", "date_from": "2040-01-01", "date_to": "2043-12-31",
        "mack": True, "bf": False})
    assert "Datos insuficientes" in _run(glm).job.error
    assert "No hay siniestros" in _run(empty).job.error
    assert glm.result is None and empty.result is None


@pytest.fixture
def slow_engine():
    """An engine that reports progress in chunks and records how far it got."""
    from django import forms

    reached = []

    def compute(*, params, progress, actor):
        for chunk in range(1, 5):
            progress(chunk * 20, f"Bloque {chunk}")
            reached.append(chunk)
            if chunk == 2 and params.get("cancel_as"):
                from apps.identity.models import User

                run = EngineRun.objects.get(params__cancel_as=params["cancel_as"], job__status=JobStatus.RUNNING)
                engine_run_cancel(actor=User.objects.get(pk=params["cancel_as"]), run=run)
        return {"summary": [{"label": "Hecho", "value": 1}]}

    engine = engines.register(engines.Engine(key="statistics.slow_test", label="Lento", category="statistics",
                                             form_class=forms.Form, compute=compute))
    yield reached
    engines.unregister(engine.key)


def test_a_cancelled_run_stops_and_reports_cancelled(slow_engine, admin_a, client_a):
    run, _ = engine_run_start(actor=admin_a, engine_key="statistics.slow_test", params={"cancel_as": admin_a.pk})
    _run(run)
    assert slow_engine == [1, 2]  # it stopped at the next progress report
    assert run.job.status == JobStatus.CANCELLED and run.result is None and not run.is_final
    page = client_a.get(f"/motores/ejecuciones/{run.pk}/").content.decode()
    assert "Cancelado" in page and "Cálculo cancelado" in page and "Hecho" not in page
    assert client_a.get(f"/api/v1/engines/runs/{run.pk}/").json()["status"] == "cancelled"
    from apps.audit.models import AuditEvent

    assert AuditEvent.objects.filter(verb="engine_run_cancel", object_id=str(run.pk)).exists()
    assert AuditEvent.objects.filter(verb="engine_run_start", object_id=str(run.pk)).exists()


def test_a_queued_run_cancelled_never_starts(slow_engine, admin_a, client_a):
    run, _ = engine_run_start(actor=admin_a, engine_key="statistics.slow_test", params={})
    response = client_a.post(f"/api/v1/engines/runs/{run.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    _run(run)
    assert slow_engine == [] and run.job.status == JobStatus.CANCELLED
    assert client_a.post(f"/api/v1/engines/runs/{run.pk}/cancel/").status_code == 409


def test_job_page_has_a_cancel_button(admin_a, client_a):
    job = JobRun.objects.create(user=admin_a, task_name="x", label="Proceso largo", status=JobStatus.RUNNING)
    page = client_a.get(f"/r/jobs/jobrun/{job.pk}/").content.decode()
    assert "Cancelar" in page and f"/procesos/{job.pk}/cancelar/" in page
    assert client_a.post(f"/procesos/{job.pk}/cancelar/").status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED


def test_api_lists_engines_starts_polls_a_chain_ladder(client_a, tenant_a):
    engines_list = client_a.get("/api/v1/engines/").json()
    keys = {e["key"] for e in engines_list}
    assert {"actuarial.loss_ratio", "actuarial.chain_ladder", "actuarial.triangle", "actuarial.pricing_glm"} <= keys
    chain = next(e for e in engines_list if e["key"] == "actuarial.chain_ladder")
    assert {"name": "kind", "type": "choice"}.items() <= next(f for f in chain["input_schema"] if f["name"] == "kind").items()
    response = client_a.post("/api/v1/engines/actuarial.chain_ladder/runs/",
                             {"source": "csv", "kind": "paid", "csv_text": RAA_CSV, "mack": True},
                             content_type="application/json")
    assert response.status_code == 202, response.content
    run_id = response.json()["id"]
    assert response["Location"] == f"/api/v1/engines/runs/{run_id}/"
    run = _run(EngineRun.objects.get(pk=run_id))
    body = client_a.get(response["Location"]).json()
    assert body["status"] == "succeeded" and body["progress"] == 100
    assert body["result"]["data"]["ibnr_total"] == pytest.approx(52135.23, abs=0.01)
    assert round(body["result"]["data"]["mack_total_se"]) == 26909
    bad = client_a.post("/api/v1/engines/actuarial.chain_ladder/runs/",
                        {"source": "csv", "kind": "paid", "csv_text": "origen;12;24;36\n2022;1;x;3\n2023;1;2;\n2024;1;;\n"},
                        content_type="application/json")
    assert bad.status_code == 400 and "no es numérica" in bad.json()["errors"]["csv_file"][0]
    assert run.is_final


def test_pages_form_run_result_history_and_download(client_a, tenant_a, django_assert_max_num_queries):
    index = client_a.get("/motores/").content.decode()
    assert "Reservas IBNR (chain-ladder)" in index and "Actuarial" in index
    form = client_a.get("/motores/actuarial.chain_ladder/")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_a.post("/motores/actuarial.chain_ladder/", {
        "source": "csv", "kind": "paid", "unit": "year", "mack": "on",
        "csv_file": SimpleUploadedFile("raa.csv", RAA_CSV.encode(), content_type="text/csv")})
    assert response.status_code == 302, response.content.decode()[:2000]
    run = _run(EngineRun.objects.latest("id"))
    page = client_a.get(response["Location"]).content.decode()
    assert "IBNR total" in page and "52.135,23" in page and 'class="js-engine-chart"' in page
    assert "<script>" not in page.replace('<script type="application/json"', "")
    csv = client_a.get(f"/motores/ejecuciones/{run.pk}/tablas/reserves.csv")
    assert csv.status_code == 200 and "IBNR" in csv.content.decode("utf-8-sig").splitlines()[0]
    assert client_a.get(f"/motores/ejecuciones/{run.pk}/tablas/factors.xlsx").status_code == 200
    with django_assert_max_num_queries(12):
        history = client_a.get("/motores/historial/")
    assert history.status_code == 200 and "Reservas IBNR" in history.content.decode()
    with django_assert_max_num_queries(12):
        assert client_a.get("/api/v1/engines/runs/").status_code == 200


def test_roles_without_run_engine_cannot_run(users_a, tenants):
    from tests.conftest import host_client

    client = host_client(tenants.alfa_host, users_a["rrhh"])
    assert client.get("/motores/").status_code == 403
    assert client.post("/api/v1/engines/actuarial.loss_ratio/runs/", LR_PARAMS,
                       content_type="application/json").status_code == 403
    assert users_a["contabilidad"].has_perm("engines.run_engine")


def test_schedule_starts_its_run_and_moves_to_the_next_month(lr_data, admin_a):
    due = timezone.make_aware(datetime.datetime(2026, 1, 31, 6, 0))
    schedule = EngineSchedule.objects.create(engine_key="actuarial.loss_ratio", name="Siniestralidad mensual",
                                             params=LR_PARAMS, frequency="monthly", next_run_at=due, owner=admin_a)
    started = schedules_run_due(now=due + datetime.timedelta(minutes=5))
    schedule.refresh_from_db()
    assert len(started) == 1 and schedule.last_run_id == started[0]
    assert schedule.next_run_at == timezone.make_aware(datetime.datetime(2026, 2, 28, 6, 0))
    run = EngineRun.objects.get(pk=started[0])
    assert run.trigger == "schedule" and run.schedule_id == schedule.pk and run.user_id == admin_a.pk
    assert schedules_run_due(now=due + datetime.timedelta(minutes=10)) == []
