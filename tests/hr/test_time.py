"""Registro de jornada (issue 8 item 4): the clocking state machine, corrections that keep the original (and a
database that refuses to change a record), the month report with its numbers, the sign-off and its
«firmado con otros totales», the batch report in a fixed number of queries, and who reads whose record."""
import datetime
import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.hr.errors import HRError
from apps.hr.models import Contract, Employee, TimeRecord, TimeSheetSignoff
from apps.hr.selectors_time import month_report, monthly_reports
from apps.hr.services.time import clock, correction_create, timesheet_sign
from tests.conftest import host_client
from tests.fixtures.tenants import PASSWORD


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A local time of March 2026 (before the change to summer time on the 29th)."""
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour, minute))


def _api(tenants, role):
    login = Client(HTTP_HOST=tenants.alfa_host).post(
        "/api/v1/auth/token/", {"email": tenants.emails[role], "password": PASSWORD}, content_type="application/json")
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")


def _day(employee, day: int, start=(9, 0), end=(17, 30), pause=((13, 0), (13, 30))):
    user = employee.user
    clock(actor=user, employee=employee, kind="in", at=at(day, *start))
    clock(actor=user, employee=employee, kind="break_start", at=at(day, *pause[0]))
    clock(actor=user, employee=employee, kind="break_end", at=at(day, *pause[1]))
    return clock(actor=user, employee=employee, kind="out", at=at(day, *end))


@pytest.fixture
def three_days(hr_people):
    """Ana works 02, 03 and 04/03/2026 (Monday to Wednesday) 09:00–17:30 with a 30-minute break."""
    ana = hr_people["ana"]
    return [_day(ana, day) for day in (2, 3, 4)]


def test_clock_state_machine(hr_people):
    ana, pedro = hr_people["ana"], hr_people["pedro"]
    clock(actor=ana.user, employee=ana, kind="in", at=at(2, 8, 58))
    with pytest.raises(HRError, match="Ya ha fichado la entrada a las 08:58"):
        clock(actor=ana.user, employee=ana, kind="in", at=at(2, 9, 5))
    with pytest.raises(HRError, match="No hay ninguna pausa iniciada"):
        clock(actor=ana.user, employee=ana, kind="break_end", at=at(2, 10))
    with pytest.raises(HRError, match="sin haber fichado la entrada") as refused:
        clock(actor=pedro.user, employee=pedro, kind="out", at=at(2, 17))
    assert refused.value.code == "hr_time_not_in"
    with pytest.raises(HRError, match="dentro de la jornada"):
        clock(actor=pedro.user, employee=pedro, kind="break_start", at=at(2, 11))
    with pytest.raises(HRError) as other:
        clock(actor=ana.user, employee=pedro, kind="in", at=at(2, 9))
    assert other.value.code == "hr_time_not_own"
    with pytest.raises(HRError) as future:
        clock(actor=ana.user, employee=ana, kind="out", at=timezone.now() + datetime.timedelta(hours=1))
    assert future.value.code == "hr_time_future"
    assert TimeRecord.objects.filter(employee=ana).count() == 1
    assert not TimeRecord.objects.filter(employee=pedro).exists()


def test_correction_keeps_the_original_and_the_database_refuses_changes(hr_people, users_a):
    ana, boss = hr_people["ana"], hr_people["boss"]
    original = clock(actor=ana.user, employee=ana, kind="in", at=at(2, 9, 20))
    out = clock(actor=ana.user, employee=ana, kind="out", at=at(2, 17, 0))
    assert month_report(ana, 2026, 3).worked_minutes == 460
    correction = correction_create(actor=boss.user, employee=ana, replaces=original, kind="in", at=at(2, 9, 0),
                                   reason="Olvidó fichar al llegar", approver=boss.user)
    original.refresh_from_db()
    assert original.at == at(2, 9, 20) and original.source == "web"
    assert (correction.source, correction.replaces_id, correction.approved_by_id) == ("correction", original.pk,
                                                                                     boss.user.pk)
    assert TimeRecord.objects.filter(employee=ana).count() == 3
    report = month_report(ana, 2026, 3)
    day = report.days[1]
    assert report.worked_minutes == 480 and day.first_in == at(2, 9, 0) and day.corrected
    assert [r.pk for r in day.records][0] == correction.pk
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TimeRecord.objects.filter(pk=original.pk).update(at=at(2, 9, 0))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TimeRecord.objects.filter(pk=out.pk).delete()
    with pytest.raises(HRError, match="propio registro") as own:
        correction_create(actor=ana.user, employee=ana, kind="out", at=at(3, 17), reason="Me fui a las 17",
                          approver=ana.user)
    assert own.value.code == "hr_time_own_approval"
    with pytest.raises(HRError) as not_manager:
        correction_create(actor=hr_people["pedro"].user, employee=ana, kind="out", at=at(3, 17), reason="x",
                          approver=hr_people["pedro"].user)
    assert not_manager.value.code == "hr_time_approver_reach"
    with pytest.raises(HRError, match="motivo"):
        correction_create(actor=boss.user, employee=ana, kind="in", at=at(3, 9), reason=" ", approver=boss.user)
    with pytest.raises(HRError, match="ya está corregido"):
        correction_create(actor=users_a["rrhh"], employee=ana, replaces=original, voids=True, reason="Duplicado",
                          approver=users_a["rrhh"])


def test_month_report_sign_off_and_later_correction(tenants, three_days, hr_people):
    ana, boss = hr_people["ana"], hr_people["boss"]
    report = month_report(ana, 2026, 3)
    assert [d.worked_minutes for d in report.days[1:4]] == [480, 480, 480]
    assert [d.break_minutes for d in report.days[1:4]] == [30, 30, 30]
    assert (report.worked_minutes, report.worked, report.days_worked) == (1440, "24:00", 3)
    assert (report.ordinary_minutes, report.extra_minutes, report.daily_minutes) == (1440, 0, 480)
    assert report.working_days == 22 and report.expected == "176:00"
    signoff = timesheet_sign(actor=ana.user, employee=ana, year=2026, month=3)
    assert (signoff.worked_minutes, signoff.days_worked) == (1440, 3)
    with pytest.raises(HRError, match="Ya firmó"):
        timesheet_sign(actor=ana.user, employee=ana, year=2026, month=3)
    assert not month_report(ana, 2026, 3).signoff_differs
    correction_create(actor=boss.user, employee=ana, replaces=three_days[2], kind="out", at=at(4, 18, 30),
                      reason="Cierre de trimestre", approver=boss.user)
    later = month_report(ana, 2026, 3)
    assert (later.worked_minutes, later.extra_minutes, later.signoff_differs) == (1500, 60, True)
    assert TimeSheetSignoff.objects.get(employee=ana).worked_minutes == 1440
    page = host_client(tenants.alfa_host, ana.user)
    html = page.get("/rrhh/mi-registro/?year=2026&month=3").content.decode()
    assert "firmado con otros totales" in html and "25:00" in html


def test_monthly_reports_in_a_fixed_number_of_queries(three_days, hr_people):
    ids = [hr_people["ana"].pk]
    with CaptureQueriesContext(connection) as one:
        monthly_reports(ids, 2026, 3)
    for n in (10, 11):
        person = Employee.objects.create(code=f"E{n}", first_name=f"Persona{n}", last_name="Prueba",
                                         tax_id=f"X{n:07d}A", ss_number=f"2800000{n:03d}00",
                                         user=None, work_centre=hr_people["ana"].work_centre)
        Contract.objects.create(employee=person, kind="indefinite", start_date=datetime.date(2025, 1, 1),
                                annual_salary="18000.00", weekly_hours="30.00", full_time=False)
        ids.append(person.pk)
    TimeRecord.objects.create(employee_id=ids[1], kind="in", at=at(2, 9), source="api")
    TimeRecord.objects.create(employee_id=ids[1], kind="out", at=at(2, 16), source="api")
    with CaptureQueriesContext(connection) as three:
        reports = monthly_reports(ids, 2026, 3)
    assert len(three) == len(one)
    assert reports[ids[0]].worked_minutes == 1440
    assert (reports[ids[1]].worked_minutes, reports[ids[1]].daily_minutes, reports[ids[1]].extra_minutes) == (
        420, 360, 60)


def test_pages_clock_report_team_and_correction(tenants, hr_people, three_days, users_a,
                                                django_assert_max_num_queries):
    ana, boss = hr_people["ana"], hr_people["boss"]
    pedro_client = host_client(tenants.alfa_host, hr_people["pedro"].user)
    assert pedro_client.post("/rrhh/fichar/", {"kind": "in"}).status_code == 302
    html = pedro_client.get("/rrhh/fichar/").content.decode()
    assert 'id="time-clock-out"' in html and 'id="time-clock-in"' not in html
    assert pedro_client.post("/rrhh/fichar/", {"kind": "in"}).status_code == 409
    nobody = host_client(tenants.alfa_host, users_a["cobros"]).get("/rrhh/fichar/")
    assert nobody.status_code == 200 and "no está vinculado a ningún empleado" in nobody.content.decode()
    ana_client = host_client(tenants.alfa_host, ana.user)
    mine = ana_client.get("/rrhh/mi-registro/?year=2026&month=3")
    assert "24:00" in mine.content.decode() and "time-sign-form" in mine.content.decode()
    csv = ana_client.get("/rrhh/mi-registro/?year=2026&month=3&export=csv").content.decode("utf-8-sig")
    assert "02/03/2026;09:00;17:30;0:30;8:00;8:00" in csv
    pdf = ana_client.get("/rrhh/mi-registro/?year=2026&month=3&export=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert ana_client.post("/rrhh/mi-registro/firmar/", {"year": 2026, "month": 3}).status_code == 302
    assert TimeSheetSignoff.objects.get(employee=ana).worked_minutes == 1440
    pedro_pk = hr_people["pedro"].pk
    assert ana_client.get(f"/rrhh/jornada/{pedro_pk}/?year=2026&month=3").status_code == 404
    assert ana_client.get(f"/rrhh/jornada/{pedro_pk}/corregir/").status_code == 404
    assert ana_client.get(f"/rrhh/jornada/{ana.pk}/corregir/").status_code == 403
    boss_client = host_client(tenants.alfa_host, boss.user)
    with CaptureQueriesContext(connection) as few:
        team = boss_client.get("/rrhh/jornada/?year=2026&month=3").content.decode()
    assert "Ana Martínez Ruiz" in team and "Pedro" not in team and "24:00" in team
    for n in (10, 11, 12):
        person = Employee.objects.create(code=f"E{n}", first_name=f"Persona{n}", last_name="Prueba", manager=ana,
                                         tax_id=f"X{n:07d}A", ss_number=f"2800000{n:03d}00")
        TimeRecord.objects.create(employee=person, kind="in", at=at(5, 9), source="api")
    with django_assert_max_num_queries(len(few) + 1):  # one more level of the team below ana
        team = boss_client.get("/rrhh/jornada/?year=2026&month=3").content.decode()
    assert "Persona12" in team and "3 días pendientes de corrección" in team
    posted = boss_client.post(f"/rrhh/jornada/{ana.pk}/corregir/", {
        "record": three_days[0].pk, "kind": "out", "date": "02/03/2026", "time": "18:00", "reason": "Reunión"})
    assert posted.status_code == 302
    assert "firmado con otros totales" in boss_client.get(f"/rrhh/jornada/{ana.pk}/?year=2026&month=3").content.decode()
    refused = boss_client.post(f"/rrhh/jornada/{ana.pk}/corregir/", {"kind": "in", "date": "03/03/2026",
                                                                      "time": "08:00", "reason": ""})
    assert refused.status_code == 400
    assert host_client(tenants.alfa_host, users_a["rrhh"]).get(
        f"/rrhh/jornada/{pedro_pk}/?year=2026&month=3").status_code == 200
    admin = host_client(tenants.alfa_host, users_a["admin"])
    assert admin.get("/admin/hr/timerecord/").status_code == 200
    assert admin.get(f"/admin/hr/timerecord/{three_days[0].pk}/delete/").status_code == 403
    assert admin.post(f"/admin/hr/timerecord/{three_days[0].pk}/change/", {"reason": "x"}).status_code == 403


def test_api_clock_report_and_reach(tenants, hr_people, three_days):
    pedro_api = _api(tenants, "siniestros")
    first = pedro_api.post("/api/v1/hr/time/clock/", json.dumps({"kind": "in"}), content_type="application/json")
    assert first.status_code == 201 and first.json()["source"] == "api"
    again = pedro_api.post("/api/v1/hr/time/clock/", json.dumps({"kind": "in"}), content_type="application/json")
    assert again.status_code == 409 and "Ya ha fichado la entrada" in again.content.decode()
    record = first.json()["id"]
    assert pedro_api.delete(f"/api/v1/hr/time/records/{record}/").status_code == 405
    assert pedro_api.patch(f"/api/v1/hr/time/records/{record}/", "{}", content_type="application/json"
                           ).status_code == 405
    ana_api = _api(tenants, "comercial")
    own = ana_api.get("/api/v1/hr/time/reports/?year=2026&month=3").json()["results"]
    assert [(r["employee"], r["worked_minutes"], r["days_worked"]) for r in own] == [(hr_people["ana"].pk, 1440, 3)]
    full = ana_api.get(f"/api/v1/hr/time/reports/?year=2026&month=3&employee={hr_people['ana'].pk}").json()
    assert len(full["days"]) == 31 and full["days"][1]["worked_minutes"] == 480
    state = pedro_api.get("/api/v1/hr/time/clock/").json()
    assert (state["state"], state["next"]) == ("in", ["break_start", "out"])
    pedro_pk = hr_people["pedro"].pk
    assert ana_api.get(f"/api/v1/hr/time/reports/?year=2026&month=3&employee={pedro_pk}").status_code == 404
    assert ana_api.get(f"/api/v1/hr/time/records/{record}/").status_code == 404
    boss_api = _api(tenants, "contabilidad")
    corrected = boss_api.post("/api/v1/hr/time/corrections/", json.dumps({
        "employee": hr_people["ana"].pk, "replaces": three_days[1].pk, "voids": True, "reason": "Duplicado"}),
        content_type="application/json")
    assert corrected.status_code == 201 and corrected.json()["voids"] is True
    own_approval = ana_api.post("/api/v1/hr/time/corrections/", json.dumps({
        "employee": hr_people["ana"].pk, "kind": "in", "at": "2026-03-05T09:00:00+01:00", "reason": "Olvido"}),
        content_type="application/json")
    assert own_approval.status_code == 403
