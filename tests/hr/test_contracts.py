"""Contracts (issue 8 item 2): overlapping contracts refused with nothing saved, the form rules (temporary needs
an end, part-time below 40 hours, SEPE key coherent), extension / change / termination keeping the history in
order, the selectors payroll and leave use, and the contract pages and API (HR writes, 404 outside reach)."""
import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client

from apps.audit.models import AuditEvent
from apps.hr.errors import HRError
from apps.hr.models import Contract
from apps.hr.selectors import contracts_in_month, current_contract
from apps.hr.services.contracts import contract_change, contract_create, contract_extend, contract_terminate
from tests.conftest import host_client
from tests.fixtures.tenants import PASSWORD

D = datetime.date


def _api(tenants, role):
    login = Client(HTTP_HOST=tenants.alfa_host).post(
        "/api/v1/auth/token/", {"email": tenants.emails[role], "password": PASSWORD}, content_type="application/json")
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")


@pytest.fixture
def temporary(hr_people, users_a):
    """Pedro's indefinite contract ends on 31/12/2025 and a temporary one runs 01/01/2026 – 30/06/2026."""
    pedro = hr_people["pedro"]
    contract_terminate(actor=users_a["rrhh"], contract=pedro.contracts.get(), on_date=D(2025, 12, 31),
                       reason="mutual")
    return contract_create(actor=users_a["rrhh"], employee=pedro, kind="temporary", sepe_code="402",
                           start_date=D(2026, 1, 1), end_date=D(2026, 6, 30), annual_salary=Decimal("22000.00"),
                           agreement_group="Grupo III")


def test_overlapping_contract_is_refused_and_nothing_saved(hr_people, users_a):
    ana = hr_people["ana"]
    with pytest.raises(HRError) as overlap:
        contract_create(actor=users_a["rrhh"], employee=ana, kind="temporary", start_date=D(2026, 3, 1),
                        end_date=D(2026, 8, 31), annual_salary=Decimal("20000"))
    assert overlap.value.code == "hr_contract_overlap" and overlap.value.status == 409
    assert overlap.value.message == ("El periodo se solapa con otro contrato de Ana Martínez Ruiz "
                                     "(en vigor desde el 01/01/2025, sin fecha de fin).")
    assert ana.contracts.count() == 1


def test_contract_form_rules(hr_people, users_a):
    rrhh, ana = users_a["rrhh"], hr_people["ana"]
    terminate = contract_terminate(actor=rrhh, contract=ana.contracts.get(), on_date=D(2025, 12, 31),
                                   reason="resignation")
    assert terminate.state == "ended"
    base = {"actor": rrhh, "employee": ana, "start_date": D(2026, 1, 1), "annual_salary": Decimal("18000")}
    with pytest.raises(HRError, match="debe tener fecha de fin") as no_end:
        contract_create(**base, kind="training")
    assert no_end.value.field == "end_date"
    with pytest.raises(HRError, match="menos de 40 horas"):
        contract_create(**base, kind="indefinite", full_time=False, weekly_hours=Decimal("40"))
    with pytest.raises(HRError, match="3 cifras"):
        contract_create(**base, kind="indefinite", sepe_code="10")
    with pytest.raises(HRError, match="no corresponde a un contrato temporal"):
        contract_create(**base, kind="temporary", end_date=D(2026, 6, 30), sepe_code="100")
    with pytest.raises(HRError, match="jornada"):
        contract_create(**base, kind="indefinite", full_time=False, weekly_hours=Decimal("20"), sepe_code="100")
    part = contract_create(**base, kind="indefinite", full_time=False, weekly_hours=Decimal("20"), sepe_code="200")
    assert part.weekly_hours == Decimal("20.00") and ana.contracts.count() == 2


def test_extension_change_and_termination_keep_the_history(temporary, users_a):
    rrhh = users_a["rrhh"]
    with pytest.raises(HRError, match="posterior a la actual"):
        contract_extend(actor=rrhh, contract=temporary, end_date=D(2026, 6, 30))
    contract_extend(actor=rrhh, contract=temporary, end_date=D(2026, 12, 31), reason="Campaña de renovaciones",
                    on_date=D(2026, 6, 15))
    contract_change(actor=rrhh, contract=temporary, on_date=D(2026, 7, 1), annual_salary=Decimal("23500"),
                    agreement_group="Grupo II", reason="Promoción")
    with pytest.raises(HRError, match="anterior al inicio"):
        contract_terminate(actor=rrhh, contract=temporary, on_date=D(2025, 12, 1), reason="resignation")
    with pytest.raises(HRError, match="No hay ningún cambio"):
        contract_change(actor=rrhh, contract=temporary, annual_salary=Decimal("23500.00"))
    ended = contract_terminate(actor=rrhh, contract=temporary, on_date=D(2026, 10, 15), reason="resignation",
                               note="Preaviso de 15 días")
    assert (ended.state, ended.termination_date, ended.end_date) == ("ended", D(2026, 10, 15), D(2026, 12, 31))
    assert ended.annual_salary == Decimal("23500.00") and ended.agreement_group == "Grupo II"
    events = list(ended.events.order_by("pk").values_list("kind", "date", "changes"))
    assert [(kind, date) for kind, date, _ in events] == [
        ("signed", D(2026, 1, 1)), ("extension", D(2026, 6, 15)), ("change", D(2026, 7, 1)),
        ("termination", D(2026, 10, 15))]
    assert events[1][2] == {"end_date": ["30/06/2026", "31/12/2026"]}
    assert events[2][2] == {"annual_salary": ["22000.00", "23500.00"], "agreement_group": ["Grupo III", "Grupo II"]}
    assert events[3][2]["termination_date"] == [None, "15/10/2026"]
    with pytest.raises(HRError, match="ya está extinguido"):
        contract_extend(actor=rrhh, contract=ended, end_date=D(2027, 1, 31))
    assert AuditEvent.objects.filter(object_id=str(ended.pk), content_type__model="contract").count() == 4


def test_selectors_current_contract_and_month(hr_people, temporary):
    pedro, ana = hr_people["pedro"], hr_people["ana"]
    assert current_contract(pedro, D(2025, 12, 31)).kind == "indefinite"
    assert current_contract(pedro, D(2026, 1, 1)) == temporary
    assert current_contract(pedro, D(2026, 7, 1)) is None
    assert current_contract(ana, D(2030, 1, 1)).start_date == D(2025, 1, 1)
    december = contracts_in_month(2025, 12)
    assert set(december) == {hr_people["boss"].pk, ana.pk, pedro.pk} and december[pedro.pk].kind == "indefinite"
    assert contracts_in_month(2026, 1)[pedro.pk] == temporary
    assert pedro.pk not in contracts_in_month(2026, 7)


def test_contract_pages_for_hr(tenants, hr_people, temporary, users_a):
    client = host_client(tenants.alfa_host, users_a["rrhh"])
    page = client.get(f"/rrhh/contratos/{temporary.pk}/").content.decode()
    assert 'id="extend-form"' in page and "22.000,00 €" in page
    response = client.post(f"/rrhh/contratos/{temporary.pk}/prorrogar/", {"end_date": "2026-03-31"})
    assert response.status_code == 400 and "posterior a la actual (30/06/2026)" in response.content.decode()
    assert client.post(f"/rrhh/contratos/{temporary.pk}/prorrogar/",
                       {"end_date": "2026-09-30", "reason": "Refuerzo"}).status_code == 302
    assert client.post(f"/rrhh/contratos/{temporary.pk}/modificar/",
                       {"on_date": "2026-07-01", "annual_salary": "24000.00"}).status_code == 302
    assert client.post(f"/rrhh/contratos/{temporary.pk}/extinguir/",
                       {"on_date": "2026-08-31", "reason": "resignation"}).status_code == 302
    temporary.refresh_from_db()
    assert (temporary.end_date, temporary.annual_salary, temporary.state) == (D(2026, 9, 30), Decimal("24000.00"),
                                                                              "ended")
    employee_page = client.get(f"/rrhh/empleados/{hr_people['pedro'].pk}/").content.decode()
    assert "Prórroga" in employee_page and "30/06/2026 → 30/09/2026" in employee_page
    new = client.post(f"/rrhh/empleados/{hr_people['pedro'].pk}/contratos/nuevo/", {
        "kind": "indefinite", "sepe_code": "100", "start_date": "2026-08-01", "full_time": "on",
        "trial_period_days": "0", "annual_salary": "25000.00", "payments_per_year": "14", "contribution_group": "5"})
    assert new.status_code == 409 and "se solapa" in new.content.decode()
    ana = host_client(tenants.alfa_host, users_a["comercial"])
    assert ana.get(f"/rrhh/contratos/{temporary.pk}/").status_code == 404
    assert ana.post(f"/rrhh/contratos/{hr_people['ana'].contracts.get().pk}/extinguir/",
                    {"on_date": "2026-08-31", "reason": "resignation"}).status_code == 403


def test_contract_api(tenants, hr_people, temporary):
    api = _api(tenants, "rrhh")
    body = api.get(f"/api/v1/hr/contracts/{temporary.pk}/").json()
    assert body["annual_salary"] == "22000.00" and [e["kind"] for e in body["events"]] == ["signed"]
    extended = api.post(f"/api/v1/hr/contracts/{temporary.pk}/extend/", json.dumps({"end_date": "2026-12-31"}),
                        content_type="application/json")
    assert extended.status_code == 200 and extended.json()["end_date"] == "2026-12-31"
    early = api.post(f"/api/v1/hr/contracts/{temporary.pk}/terminate/",
                     json.dumps({"on_date": "2025-06-30", "reason": "resignation"}), content_type="application/json")
    assert early.status_code == 400 and early["Content-Type"].startswith("application/problem+json")
    ended = api.post(f"/api/v1/hr/contracts/{temporary.pk}/terminate/",
                     json.dumps({"on_date": "2026-11-30", "reason": "end_of_term"}), content_type="application/json")
    assert ended.json()["state"] == "ended"
    assert [e["kind"] for e in ended.json()["events"]] == ["signed", "extension", "termination"]
    overlap = api.post("/api/v1/hr/contracts/", json.dumps({
        "employee": hr_people["ana"].pk, "kind": "indefinite", "start_date": "2026-01-01",
        "annual_salary": "30000.00"}), content_type="application/json")
    assert overlap.status_code == 409 and "se solapa" in overlap.content.decode()
    ana_api = _api(tenants, "comercial")
    assert ana_api.get(f"/api/v1/hr/contracts/{temporary.pk}/").status_code == 404
    assert ana_api.get("/api/v1/hr/contracts/").json()["count"] == 1
    boss_api = _api(tenants, "contabilidad")
    ana_contract = hr_people["ana"].contracts.get()
    assert boss_api.get(f"/api/v1/hr/contracts/{ana_contract.pk}/").json()["annual_salary"] is None
    assert Contract.objects.filter(employee=hr_people["ana"]).count() == 1
