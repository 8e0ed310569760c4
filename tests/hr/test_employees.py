"""Employees (issue 8 items 1 and 9): identity numbers validated with clear messages and nothing saved, the
manager never below the employee, who reads whose record (pages and API, 404 outside reach), the list's
query count, the masked IBAN and «Mis datos» (contact data only, audited)."""
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AuditEvent
from apps.hr.errors import HRError
from apps.hr.models import Employee
from apps.hr.services.employees import employee_create, employee_update, employee_update_own
from apps.hr.validators import iban_masked, ss_number_clean
from tests.conftest import host_client
from tests.fixtures.tenants import PASSWORD

NEW = {"code": "E010", "first_name": "Marta", "last_name": "López Gil", "tax_id": "45678901G",
       "ss_number": "084567890118"}


def _api(tenants, role):
    login = Client(HTTP_HOST=tenants.alfa_host).post(
        "/api/v1/auth/token/", {"email": tenants.emails[role], "password": PASSWORD}, content_type="application/json")
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")


def test_invalid_nif_and_ss_number_are_refused_and_nothing_saved(hr_people, users_a):
    before = Employee.objects.count()
    with pytest.raises(HRError) as bad_nif:
        employee_create(actor=users_a["rrhh"], **{**NEW, "tax_id": "45678901A"})
    assert bad_nif.value.field == "tax_id"
    assert bad_nif.value.message == "«45678901A» no es un NIF o NIE válido: revise los dígitos y la letra de control."
    with pytest.raises(HRError) as company:
        employee_create(actor=users_a["rrhh"], **{**NEW, "tax_id": "B12345674"})
    assert "entidad" in company.value.message
    with pytest.raises(HRError) as bad_naf:
        employee_create(actor=users_a["rrhh"], **{**NEW, "ss_number": "084567890119"})
    assert bad_naf.value.field == "ss_number" and "dígitos de control" in bad_naf.value.message
    with pytest.raises(HRError) as short_naf:
        employee_create(actor=users_a["rrhh"], **{**NEW, "ss_number": "08456789011"})
    assert "12 dígitos" in short_naf.value.message
    with pytest.raises(HRError) as duplicate:
        employee_create(actor=users_a["rrhh"], **{**NEW, "tax_id": "23456789d"})
    assert duplicate.value.message == "Ya hay un empleado con el NIF/NIE 23456789D."
    with pytest.raises(HRError) as bad_iban:
        employee_create(actor=users_a["rrhh"], **NEW, iban="ES9121000418450200051333")
    assert bad_iban.value.field == "iban"
    assert Employee.objects.count() == before


def test_ss_number_below_ten_million_uses_the_province_rule():
    # 28/01234567/cc: 28 × 10.000.000 + 1.234.567 = 281.234.567, mod 97 = 42
    assert ss_number_clean("28 01234567 42") == "280123456742"
    with pytest.raises(HRError):
        ss_number_clean("280123456785")  # 2.801.234.567 mod 97 = 85 (the plain concatenation) is wrong here


def test_create_and_the_manager_rules(hr_people, users_a, hr_department):
    rrhh = users_a["rrhh"]
    marta = employee_create(actor=rrhh, **{**NEW, "tax_id": "x1234567l", "ss_number": "08/45678901/18"},
                            manager=hr_people["ana"].pk, department=hr_department, iban="es91 2100 0418 4502 0005 1332")
    assert (marta.tax_id, marta.ss_number, marta.iban) == ("X1234567L", "084567890118", "ES9121000418450200051332")
    assert AuditEvent.objects.filter(object_id=str(marta.pk), content_type__model="employee", action="create").exists()
    with pytest.raises(HRError, match="su propio responsable"):
        employee_update(actor=rrhh, employee=marta, manager=marta)
    with pytest.raises(HRError, match="depende de este empleado") as cycle:
        employee_update(actor=rrhh, employee=hr_people["boss"], manager=marta)
    assert cycle.value.field == "manager"
    with pytest.raises(HRError, match="ya está vinculado"):
        employee_update(actor=rrhh, employee=marta, user=users_a["comercial"])
    employee_update(actor=rrhh, employee=marta, position="Administrativa")
    event = AuditEvent.objects.filter(object_id=str(marta.pk), content_type__model="employee",
                                      action="update").latest("id")
    assert event.changes == {"position": ["", "Administrativa"]}


def test_who_sees_whom_on_the_list_page(tenants, hr_people, users_a):
    def names(role):
        html = host_client(tenants.alfa_host, users_a[role]).get("/rrhh/empleados/").content.decode()
        return {name for name in ("Laura", "Ana", "Pedro") if f">{name}<" in html}

    assert names("comercial") == {"Ana"}
    assert names("contabilidad") == {"Laura", "Ana"}
    assert names("rrhh") == {"Laura", "Ana", "Pedro"}
    assert names("cobros") == set()


def test_ana_cannot_read_pedro_by_url_or_api(tenants, hr_people, users_a):
    ana_page = host_client(tenants.alfa_host, users_a["comercial"])
    pedro = hr_people["pedro"]
    assert ana_page.get(f"/rrhh/empleados/{pedro.pk}/").status_code == 404
    assert ana_page.get("/rrhh/empleados/999999/").status_code == 404
    assert ana_page.get(f"/rrhh/empleados/{hr_people['ana'].pk}/").status_code == 200
    assert ana_page.get("/rrhh/empleados/nuevo/").status_code == 403
    assert ana_page.get(f"/rrhh/empleados/{hr_people['ana'].pk}/editar/").status_code == 403
    api = _api(tenants, "comercial")
    assert api.get(f"/api/v1/hr/employees/{pedro.pk}/").status_code == 404
    listed = api.get("/api/v1/hr/employees/").json()
    assert [row["code"] for row in listed["results"]] == ["E002"]
    assert listed["results"][0]["iban"] == "ES** **** **** **** **** 1332"
    assert api.patch(f"/api/v1/hr/employees/{hr_people['ana'].pk}/", json.dumps({"iban": ""}),
                     content_type="application/json").status_code == 403
    boss = _api(tenants, "contabilidad")
    assert {row["code"] for row in boss.get("/api/v1/hr/employees/").json()["results"]} == {"E001", "E002"}


def test_hr_api_creates_and_refuses_with_problem_bodies(tenants, hr_people):
    api = _api(tenants, "rrhh")
    assert api.get("/api/v1/hr/employees/").json()["count"] == 3
    bad = api.post("/api/v1/hr/employees/", json.dumps({**NEW, "ss_number": "084567890119"}),
                   content_type="application/json")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert "dígitos de control" in bad.content.decode() and Employee.objects.count() == 3
    created = api.post("/api/v1/hr/employees/", json.dumps({**NEW, "manager": hr_people["boss"].pk,
                                                            "iban": "ES9121000418450200051332"}),
                       content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["iban"] == "ES** **** **** **** **** 1332" and created.json()["manager"] == hr_people["boss"].pk
    revealed = api.get(f"/api/v1/hr/employees/{created.json()['id']}/?reveal=1").json()
    assert revealed["iban"] == "ES9121000418450200051332"
    assert AuditEvent.objects.filter(verb="sensitive_reveal", object_id=str(created.json()["id"])).exists()


def test_iban_masked_for_everyone_but_hr(tenants, hr_people, users_a):
    ana = hr_people["ana"]
    boss_html = host_client(tenants.alfa_host, users_a["contabilidad"]).get(f"/rrhh/empleados/{ana.pk}/")
    assert "ES** **** **** **** **** 1332" in boss_html.content.decode()
    assert "ES9121000418450200051332" not in boss_html.content.decode()
    assert "24.000,00" not in boss_html.content.decode()  # a manager does not see the salary
    assert "/auditoria/revelar/" not in boss_html.content.decode()  # no «Mostrar» without the permission
    hr = host_client(tenants.alfa_host, users_a["rrhh"])
    hr_html = hr.get(f"/rrhh/empleados/{ana.pk}/").content.decode()
    assert "ES** **** **** **** **** 1332" in hr_html and "24.000,00 €" in hr_html
    assert "ES9121000418450200051332" not in hr_html  # clear only on «Mostrar», which is audited
    revealed = hr.post(f"/auditoria/revelar/hr.employee/{ana.pk}/iban/").content.decode()
    assert "ES9121000418450200051332" in revealed
    assert AuditEvent.objects.filter(verb="sensitive_reveal", object_id=str(ana.pk), actor_id=users_a["rrhh"].pk).exists()
    assert iban_masked("ES7921000813610123456789") == "ES** **** **** **** **** 6789"


def test_list_page_query_count_does_not_grow(tenants, hr_people, users_a, hr_centre, django_assert_max_num_queries):
    client = host_client(tenants.alfa_host, users_a["rrhh"])
    client.get("/rrhh/empleados/")  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        assert client.get("/rrhh/empleados/").status_code == 200
    for n in range(20, 30):
        Employee.objects.create(code=f"E{n}", first_name=f"Persona{n}", last_name="Prueba", tax_id=f"X{n:07d}A",
                                ss_number=f"2800000{n:03d}00", manager=hr_people["boss"], work_centre=hr_centre)
    with django_assert_max_num_queries(len(few)):
        html = client.get("/rrhh/empleados/?o=code").content.decode()
    assert "Persona29" in html
    assert client.get("/rrhh/empleados/?export=xlsx").status_code == 200
    csv = b"".join(client.get("/rrhh/empleados/?export=csv&q=Persona21").streaming_content).decode("utf-8-sig")
    assert "Persona21" in csv and "Persona22" not in csv


def test_my_data_updates_the_phone_with_audit_but_not_salary_or_iban(tenants, hr_people, users_a):
    ana = hr_people["ana"]
    client = host_client(tenants.alfa_host, users_a["comercial"])
    page = client.get("/rrhh/mis-datos/").content.decode()
    assert "ES** **** **** **** **** 1332" in page and "24.000,00 €" in page
    response = client.post("/rrhh/mis-datos/", {"phone": "600 111 222", "email": ana.email,
                                                  "iban": "ES7921000813610123456789", "annual_salary": "99000"})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.phone == "600 111 222" and ana.iban == "ES9121000418450200051332"
    assert ana.contracts.get().annual_salary == 24000
    event = AuditEvent.objects.filter(object_id=str(ana.pk), verb="hr_self_service").get()
    assert event.changes == {"phone": ["", "600 111 222"]} and event.actor_id == users_a["comercial"].pk
    with pytest.raises(HRError, match="solo los cambia RRHH"):
        employee_update_own(actor=users_a["comercial"], employee=ana, iban="ES7921000813610123456789")
    with pytest.raises(HRError):
        employee_update_own(actor=users_a["contabilidad"], employee=ana, phone="1")
    nobody = host_client(tenants.alfa_host, users_a["cobros"]).get("/rrhh/mis-datos/")
    assert nobody.status_code == 200 and 'id="my-data-none"' in nobody.content.decode()


def test_hr_pages_create_and_edit(tenants, hr_people, users_a, hr_department):
    client = host_client(tenants.alfa_host, users_a["rrhh"])
    assert client.get("/rrhh/empleados/nuevo/").status_code == 200
    bad = client.post("/rrhh/empleados/nuevo/", {**NEW, "tax_id": "45678901A", "distribution_role": "none",
                                                 "irpf_rate": "0"})
    assert bad.status_code == 400 and "no es un NIF o NIE válido" in bad.content.decode()
    done = client.post("/rrhh/empleados/nuevo/", {**NEW, "distribution_role": "none", "irpf_rate": "12.50",
                                                  "department": hr_department.pk, "is_active": "on"})
    assert done.status_code == 302, done.content.decode()[-3000:]
    marta = Employee.objects.get(code="E010")
    assert done.status_code == 302 and marta.department == hr_department
    edit = client.get(f"/rrhh/empleados/{marta.pk}/editar/")
    assert edit.status_code == 200 and "45678901G" in edit.content.decode()


def test_admin_lists_and_deactivate_action(tenants, hr_people, users_a):
    admin = host_client(tenants.alfa_host, users_a["admin"])
    assert "Martínez Ruiz" in admin.get("/admin/hr/employee/").content.decode()
    assert admin.get(f"/admin/hr/contract/{hr_people['ana'].contracts.get().pk}/change/").status_code == 200
    marta = employee_create(actor=users_a["rrhh"], **NEW)
    response = admin.post("/admin/hr/employee/", {"action": "deactivate",
                                                  "_selected_action": [marta.pk, hr_people["ana"].pk]})
    assert response.status_code == 302
    marta.refresh_from_db()
    hr_people["ana"].refresh_from_db()
    assert not marta.is_active and hr_people["ana"].is_active  # ana has a contract in force
