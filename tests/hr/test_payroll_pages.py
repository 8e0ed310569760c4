"""Payroll pages (issue 8 item 6): HR calculates, posts with confirmation and pays from the pages; the run
detail shows the totals with a fixed number of queries; «Mis nóminas» lists the own payslips (and tells a
user without an employee record so, with 200); the 111/190 pages export CSV; the settings form saves."""
import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.hr.choices import ContractKind
from apps.hr.models import Contract, Employee, PayrollRun, PayrollSettings
from apps.hr.services.payroll import payroll_run_calculate
from tests.collections.conftest import coll_books  # noqa: F401
from tests.conftest import host_client
from tests.treasury.conftest import bank_account  # noqa: F401

D = datetime.date


def test_hr_calculates_posts_and_pays_from_the_pages(tenants, hr_people, users_a, coll_books,  # noqa: F811
                                                     bank_account, django_assert_max_num_queries):  # noqa: F811
    client = host_client(tenants.alfa_host, users_a["rrhh"])
    response = client.post("/rrhh/nominas/", {"year": 2026, "month": 3, "payment_date": "2026-03-31"})
    run = PayrollRun.objects.get(year=2026, month=3)
    assert response.status_code == 302 and response["Location"] == f"/rrhh/nominas/{run.pk}/"
    client.get(f"/rrhh/nominas/{run.pk}/")
    with CaptureQueriesContext(connection) as few:
        html = client.get(f"/rrhh/nominas/{run.pk}/").content.decode()
    assert "4.273,75" in html and "5.357,15" in html and "1.378,58" in html
    for n in range(10, 20):
        employee = Employee.objects.create(code=f"E{n}", first_name=f"Persona{n}", last_name="Prueba",
                                           tax_id=f"X{n:07d}A", ss_number=f"2800000{n:03d}00")
        Contract.objects.create(employee=employee, kind=ContractKind.INDEFINITE, start_date=D(2025, 1, 1),
                                annual_salary=Decimal("18000.00"), payments_per_year=12)
    payroll_run_calculate(actor=users_a["rrhh"], year=2026, month=3, payment_date=D(2026, 3, 31))
    with django_assert_max_num_queries(len(few)):
        assert "Persona19" in client.get(f"/rrhh/nominas/{run.pk}/").content.decode()
    assert client.post(f"/rrhh/nominas/{run.pk}/contabilizar/", {}).status_code == 400  # not confirmed
    assert client.post(f"/rrhh/nominas/{run.pk}/contabilizar/", {"confirm": "on"}).status_code == 302
    paid = client.post(f"/rrhh/nominas/{run.pk}/pagar/", {"confirm": "on"})
    run.refresh_from_db()
    assert paid.status_code == 302 and run.state == "paid" and run.transfer_order.count == 3  # 10 without IBAN
    html = client.get(f"/rrhh/nominas/{run.pk}/").content.decode()
    assert "Descargar pain.001" in html and "Sin IBAN válido" in html
    assert client.get("/rrhh/nominas/").status_code == 200


def test_closed_month_shows_the_refusal_on_the_form(tenants, hr_people, users_a, coll_books):  # noqa: F811
    client = host_client(tenants.alfa_host, users_a["rrhh"])
    response = client.post("/rrhh/nominas/", {"year": 2025, "month": 12, "payment_date": "2025-12-31"})
    assert response.status_code == 409 and "No hay ningún ejercicio abierto" in response.content.decode()
    assert not PayrollRun.objects.exists()


def test_pages_are_hr_only_and_my_payslips_is_personal(tenants, hr_people, users_a, coll_books):  # noqa: F811
    payroll_run_calculate(actor=users_a["rrhh"], year=2026, month=3, payment_date=D(2026, 3, 31))
    ana = host_client(tenants.alfa_host, users_a["comercial"])
    assert ana.get("/rrhh/nominas/").status_code == 403
    mine = ana.get("/rrhh/mis-nominas/").content.decode()
    assert "1.378,58" in mine and "1.658,93" not in mine
    nobody = host_client(tenants.alfa_host, users_a["cobros"]).get("/rrhh/mis-nominas/")
    assert nobody.status_code == 200 and "no está vinculado a ningún empleado" in nobody.content.decode()


def test_models_111_190_csv_and_settings_form(tenants, hr_people, users_a, coll_books):  # noqa: F811
    payroll_run_calculate(actor=users_a["rrhh"], year=2026, month=3, payment_date=D(2026, 3, 31))
    client = host_client(tenants.alfa_host, users_a["rrhh"])
    csv_111 = client.get("/rrhh/nominas/modelo-111/?year=2026&export=csv").content.decode("utf-8-sig")
    assert "1T;3;5357,15;677,14" in csv_111
    csv_190 = client.get("/rrhh/nominas/modelo-190/?year=2026&export=csv").content.decode("utf-8-sig")
    assert "23456789D;Martínez Ruiz, Ana;A;1714,29;205,71" in csv_190
    page = client.get("/rrhh/nominas/parametros/?year=2026")
    assert page.status_code == 200
    data = {name: str(getattr(PayrollSettings.objects.get(year=2026), name)) for name in page.context["form"].fields}
    data.update({"year": "2026", "max_base": "4909.50"})
    assert client.post("/rrhh/nominas/parametros/", data).status_code == 302
    assert PayrollSettings.objects.get(year=2026).max_base == Decimal("4909.50")
