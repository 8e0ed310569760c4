"""Leave (issue 8 item 5): the yearly allowance with its carry-over and pro rata, the balance with pending days
reserved, the approval flow with its notifications, leave beyond the balance and overlaps refused, team overlaps
warned, who may decide what, and the pages and API (team calendar with a pinned number of queries)."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.hr.choices import ContractKind
from apps.hr.errors import HRError
from apps.hr.models import Contract, Employee, LeaveAllowance, LeaveRequest, LeaveType
from apps.hr.services.calendars import holiday_create, holidays_load_national
from apps.hr.services.leave import (leave_request_approve, leave_request_cancel, leave_request_create,
                                    leave_request_reject)
from apps.hr.services.leave_allowances import allowance_for, balance, leave_types_ensure
from apps.notifications.models import Notification
from tests.conftest import host_client

D = datetime.date


@pytest.fixture
def leave_setup(hr_people, hr_centre, users_a):
    leave_types_ensure()
    holidays_load_national(year=2026)
    holiday_create(actor=None, date=D(2026, 4, 2), name="Jueves Santo", scope="regional", region="13")
    return {code: LeaveType.objects.get(code=code) for code in ("VAC", "AP", "IT", "MAT")}


def _ask(employee, leave_type, start, end, **kwargs):
    return leave_request_create(actor=employee.user, employee=employee, leave_type=leave_type, start_date=start,
                                end_date=end, **kwargs)


def test_default_types(leave_setup):
    vac, it, mat = leave_setup["VAC"], leave_setup["IT"], leave_setup["MAT"]
    assert (vac.default_days, vac.max_carry_over, vac.uses_allowance, vac.counts_working_days) == (
        Decimal("22"), Decimal("0"), True, True)
    assert (it.needs_approval, it.counts_working_days, it.uses_allowance) == (False, False, False)
    assert (mat.default_days, mat.counts_working_days) == (Decimal("15"), False)
    assert LeaveType.objects.get(code="NAC").default_days == Decimal("112")  # 16 semanas
    assert leave_types_ensure() == []  # idempotent


def test_balance_and_approval_flow(leave_setup, hr_people, users_a):
    ana, boss, pedro = hr_people["ana"], hr_people["boss"], hr_people["pedro"]
    vac = leave_setup["VAC"]
    assert balance(ana, vac, 2026).available == Decimal("22")
    # Monday 04/05 to Friday 08/05/2026: five working days.
    result = _ask(ana, vac, D(2026, 5, 4), D(2026, 5, 8), notes="Viaje")
    leave = result.request
    assert (leave.days, leave.state, result.warnings) == (Decimal("5"), "requested", [])
    now = balance(ana, vac, 2026)
    assert (now.requested, now.available) == (Decimal("5"), Decimal("17"))  # pending days are reserved
    told_boss = Notification.objects.get(recipient=boss.user)
    assert "Ana Martínez Ruiz" in told_boss.title and "04/05/2026" in told_boss.body and "5 días" in told_boss.body

    with pytest.raises(HRError) as beyond:
        _ask(ana, vac, D(2026, 6, 1), D(2026, 6, 26))  # 20 working days
    assert beyond.value.code == "hr_leave_balance" and "su saldo es de 17 días" in beyond.value.message
    assert "pide 20" in beyond.value.message
    with pytest.raises(HRError) as overlap:
        _ask(ana, leave_setup["AP"], D(2026, 5, 8), D(2026, 5, 8))
    assert overlap.value.code == "hr_leave_overlap" and overlap.value.status == 409
    with pytest.raises(HRError) as wrong_way:
        _ask(ana, vac, D(2026, 6, 5), D(2026, 6, 1))
    assert wrong_way.value.code == "hr_leave_dates"
    assert LeaveRequest.objects.filter(employee=ana).count() == 1  # nothing saved

    with pytest.raises(HRError) as not_his:
        leave_request_approve(actor=pedro.user, leave=leave)
    assert not_his.value.status == 403
    with pytest.raises(HRError) as own:
        leave_request_approve(actor=ana.user, leave=leave)
    assert own.value.code == "hr_leave_own_decision"

    leave_request_approve(actor=boss.user, leave=leave, note="Disfrútalas")
    leave.refresh_from_db()
    assert (leave.state, leave.decided_by, leave.decision_note) == ("approved", boss.user, "Disfrútalas")
    told_ana = Notification.objects.get(recipient=ana.user)
    assert told_ana.title.startswith("Ausencia aprobada") and told_ana.body == "Disfrútalas"
    now = balance(ana, vac, 2026)
    assert (now.approved, now.requested, now.available) == (Decimal("5"), Decimal("0"), Decimal("17"))
    with pytest.raises(HRError) as again:
        leave_request_approve(actor=boss.user, leave=leave)
    assert again.value.status == 409

    with pytest.raises(HRError, match="solo la puede anular RRHH"):
        leave_request_cancel(actor=ana.user, leave=leave)
    leave_request_cancel(actor=users_a["rrhh"], leave=leave, note="Cambio de turnos")
    assert balance(ana, vac, 2026).available == Decimal("22")  # the days go back
    assert Notification.objects.filter(recipient=ana.user, title__startswith="Ausencia anulada por RRHH").exists()


def test_reject_cancel_and_working_days_over_easter(leave_setup, hr_people):
    ana, boss = hr_people["ana"], hr_people["boss"]
    vac = leave_setup["VAC"]
    easter = _ask(ana, vac, D(2026, 3, 30), D(2026, 4, 10)).request  # Jueves and Viernes Santo in Madrid
    assert easter.days == Decimal("8")
    with pytest.raises(HRError) as no_reason:
        leave_request_reject(actor=boss.user, leave=easter, note=" ")
    assert no_reason.value.code == "hr_leave_note"
    leave_request_reject(actor=boss.user, leave=easter, note="Cierre trimestral")
    assert balance(ana, vac, 2026).available == Decimal("22")
    pending = _ask(ana, vac, D(2026, 7, 6), D(2026, 7, 10)).request
    leave_request_cancel(actor=ana.user, leave=pending)
    assert LeaveRequest.objects.get(pk=pending.pk).state == "cancelled"
    with pytest.raises(HRError, match="ningún día laborable"):
        _ask(ana, vac, D(2026, 4, 3), D(2026, 4, 5))  # Viernes Santo and a weekend
    with pytest.raises(HRError) as two_years:
        _ask(ana, vac, D(2026, 12, 28), D(2027, 1, 4))
    assert two_years.value.code == "hr_leave_two_years"
    with pytest.raises(HRError) as too_long:
        _ask(ana, leave_setup["MAT"], D(2026, 9, 1), D(2026, 9, 20))  # 20 natural days, 15 at most
    assert "15 días naturales" in too_long.value.message


def test_team_overlap_warns_and_sick_leave_is_registered_by_hr(leave_setup, hr_people, hr_centre, users_a):
    ana, boss, pedro = hr_people["ana"], hr_people["boss"], hr_people["pedro"]
    luis = Employee.objects.create(code="E004", first_name="Luis", last_name="Pardo Gil", tax_id="45678901G",
                                   ss_number="284567890123", manager=boss, work_centre=hr_centre)
    leave_request_create(actor=users_a["rrhh"], employee=luis, leave_type=leave_setup["VAC"],
                         start_date=D(2026, 5, 6), end_date=D(2026, 5, 12))
    result = _ask(ana, leave_setup["VAC"], D(2026, 5, 4), D(2026, 5, 8))
    assert result.warnings == ["Luis Pardo Gil también estará ausente del 06/05/2026 al 12/05/2026 (solicitada)."]
    assert _ask(pedro, leave_setup["VAC"], D(2026, 5, 4), D(2026, 5, 8)).warnings == []  # not the same team

    with pytest.raises(HRError) as not_hr:
        _ask(pedro, leave_setup["IT"], D(2026, 6, 1), D(2026, 6, 10))
    assert not_hr.value.code == "hr_leave_hr_only" and not_hr.value.status == 403
    sick = leave_request_create(actor=users_a["rrhh"], employee=pedro, leave_type=leave_setup["IT"],
                                start_date=D(2026, 6, 1), end_date=D(2026, 6, 10)).request
    assert (sick.state, sick.days, sick.decided_by) == ("approved", Decimal("10"), users_a["rrhh"])  # natural days
    with pytest.raises(HRError) as for_someone:
        leave_request_create(actor=ana.user, employee=pedro, leave_type=leave_setup["AP"], start_date=D(2026, 6, 2),
                             end_date=D(2026, 6, 2))
    assert for_someone.value.code == "hr_leave_not_own"


def test_carry_over_capped_and_pro_rata(leave_setup, hr_people, hr_centre, users_a):
    ana, boss = hr_people["ana"], hr_people["boss"]
    vac = leave_setup["VAC"]
    vac.max_carry_over = Decimal("5")
    vac.save()
    assert allowance_for(ana, vac, 2025).days == Decimal("22")
    taken = _ask(ana, vac, D(2025, 6, 2), D(2025, 6, 13)).request  # ten working days of 2025
    leave_request_approve(actor=boss.user, leave=taken)
    this_year = allowance_for(ana, vac, 2026)
    assert (this_year.days, this_year.carried_over) == (Decimal("22"), Decimal("5"))  # 12 unused, 5 carried
    assert balance(ana, vac, 2026).available == Decimal("27")
    # Without a row for last year the carry-over comes from last year's entitlement, still capped.
    assert allowance_for(hr_people["pedro"], vac, 2026).carried_over == Decimal("5")

    newcomer = Employee.objects.create(code="E005", first_name="Eva", last_name="Ríos Soler", tax_id="56789012B",
                                       ss_number="285678901234", work_centre=hr_centre)
    Contract.objects.create(employee=newcomer, kind=ContractKind.INDEFINITE, start_date=D(2026, 7, 1),
                            annual_salary=Decimal("20000.00"))
    hired = allowance_for(newcomer, vac, 2026)
    assert (hired.days, hired.carried_over) == (Decimal("11.0"), Decimal("0"))  # 22 × 184/365 = 11,09
    assert LeaveAllowance.objects.filter(employee=newcomer).count() == 1


def test_pages(leave_setup, hr_people, hr_centre, tenants, users_a, django_assert_max_num_queries):
    ana, boss, pedro = hr_people["ana"], hr_people["boss"], hr_people["pedro"]
    ana_page = host_client(tenants.alfa_host, ana.user)
    html = ana_page.get("/rrhh/mis-ausencias/?year=2026").content.decode()
    assert 'id="leave-balance-VAC"' in html and "Incapacidad temporal</option>" not in html
    assert 'data-preview-url="/api/v1/hr/leave/requests/preview/"' in html and "hr/leave.js" in html
    vac = leave_setup["VAC"].pk
    form = {"leave_type": vac, "start_date": "04/05/2026", "end_date": "08/05/2026"}
    preview = ana_page.post("/rrhh/mis-ausencias/?year=2026", {**form, "preview": "1"}).content.decode()
    assert "Son 5 días" in preview and "Le quedarán 17 días" in preview
    assert not LeaveRequest.objects.exists()
    assert ana_page.post("/rrhh/mis-ausencias/", form).status_code == 302
    refused = ana_page.post("/rrhh/mis-ausencias/", {**form, "start_date": "01/06/2026", "end_date": "26/06/2026"})
    assert refused.status_code == 400 and "su saldo es de 17 días" in refused.content.decode()
    none = host_client(tenants.alfa_host, users_a["cobros"]).get("/rrhh/mis-ausencias/")
    assert none.status_code == 200 and "no está vinculado" in none.content.decode()

    leave = LeaveRequest.objects.get(employee=ana)
    pedro_page = host_client(tenants.alfa_host, pedro.user)
    assert pedro_page.post(f"/rrhh/ausencias/{leave.pk}/approve/").status_code == 404  # not his team
    assert ana_page.post(f"/rrhh/ausencias/{leave.pk}/approve/").status_code == 403  # her own
    assert "No tiene personas a su cargo" in pedro_page.get("/rrhh/ausencias/").content.decode()

    boss_page = host_client(tenants.alfa_host, boss.user)
    with CaptureQueriesContext(connection) as few:
        team = boss_page.get("/rrhh/ausencias/?year=2026&month=5").content.decode()
    assert f'id="leave-pending-{leave.pk}"' in team and 'id="leave-row-%d"' % ana.pk in team
    assert "Fiesta del Trabajo" in team  # 1 May shaded
    for n in range(3):  # more people and more leave: the same number of queries
        other = Employee.objects.create(code=f"E1{n}", first_name="Persona", last_name=f"Nueva {n}",
                                        tax_id=f"1111111{n}H", ss_number=f"28000000000{n}", manager=boss,
                                        work_centre=hr_centre)
        leave_request_create(actor=users_a["rrhh"], employee=other, leave_type=leave_setup["IT"],
                             start_date=D(2026, 5, 11 + n), end_date=D(2026, 5, 20))
    with django_assert_max_num_queries(len(few)):
        team = boss_page.get("/rrhh/ausencias/?year=2026&month=5").content.decode()
    assert team.count('id="leave-row-') == 5
    assert boss_page.post(f"/rrhh/ausencias/{leave.pk}/approve/", {"note": "OK"}).status_code == 302
    assert LeaveRequest.objects.get(pk=leave.pk).state == "approved"

    hr = host_client(tenants.alfa_host, users_a["rrhh"])
    assert "Ana" in hr.get("/rrhh/ausencias/todas/?state=approved").content.decode()
    panel = hr.get(f"/rrhh/empleados/{ana.pk}/").content.decode()  # the «Ausencias» panel of her page
    assert 'id="leave-panel"' in panel and "17 de 22 días disponibles" in panel
    assert ana_page.get("/rrhh/ausencias/todas/").status_code == 403
    registered = hr.post("/rrhh/ausencias/registrar/", {"employee": pedro.pk, "leave_type": leave_setup["IT"].pk,
                                                         "start_date": "01/06/2026", "end_date": "05/06/2026"})
    assert registered.status_code == 302
    assert hr.post(f"/rrhh/ausencias/{leave.pk}/cancel/", {"note": "Error"}).status_code == 302
    assert LeaveRequest.objects.get(pk=leave.pk).state == "cancelled"


def test_api(leave_setup, hr_people, tenants, users_a):
    ana, boss, pedro = hr_people["ana"], hr_people["boss"], hr_people["pedro"]
    ana_api = host_client(tenants.alfa_host, ana.user)
    vac = leave_setup["VAC"].pk
    preview = ana_api.get(f"/api/v1/hr/leave/requests/preview/?leave_type={vac}&start_date=2026-05-04"
                          f"&end_date=2026-05-08").json()
    assert (preview["days"], preview["available_after"]) == ("5.0", "17.0")
    created = ana_api.post("/api/v1/hr/leave/requests/", {"leave_type": vac, "start_date": "2026-05-04",
                                                          "end_date": "2026-05-08"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["days"] == "5.0"
    pk = created.json()["id"]
    beyond = ana_api.post("/api/v1/hr/leave/requests/", {"leave_type": vac, "start_date": "2026-06-01",
                                                         "end_date": "2026-06-26"}, content_type="application/json")
    assert beyond.status_code == 400 and "su saldo es de 17 días" in beyond.content.decode()
    assert ana_api.post(f"/api/v1/hr/leave/requests/{pk}/approve/").status_code == 403
    pedro_api = host_client(tenants.alfa_host, pedro.user)
    assert pedro_api.post(f"/api/v1/hr/leave/requests/{pk}/approve/").status_code == 404
    assert pedro_api.get("/api/v1/hr/leave/requests/").json()["count"] == 0
    assert pedro_api.get(f"/api/v1/hr/leave/balances/?employee={ana.pk}").status_code == 404
    boss_api = host_client(tenants.alfa_host, boss.user)
    assert boss_api.get("/api/v1/hr/leave/requests/").json()["count"] == 1
    approved = boss_api.post(f"/api/v1/hr/leave/requests/{pk}/approve/", {"note": "Vale"},
                             content_type="application/json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    balances = boss_api.get(f"/api/v1/hr/leave/balances/?employee={ana.pk}&year=2026").json()["results"]
    vacation = next(row for row in balances if row["code"] == "VAC")
    assert (vacation["approved"], vacation["available"]) == ("5.0", "17.0")
