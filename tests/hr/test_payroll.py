"""Payroll (issue 8 item 6): ana's March and June 2026 payslips with the issue's figures, the balanced entry,
closed periods refused with nothing saved, recalculation replacing payslips, the pain.001 of the net pay
(XSD-valid, employees without IBAN refused), the payment entry when the order settles, payslip privacy
(page, PDF and API answer 404 outside employee/HR) and the modelo 111/190 figures."""
import datetime
from decimal import Decimal

import pytest
from django.test import Client

from apps.accounting.models import Entry, Period
from apps.accounting.services import period_set_state
from apps.hr.choices import PayrollRunState
from apps.hr.errors import HRError
from apps.hr.models import Contract, PayrollRun, Payslip
from apps.hr.selectors_payroll import model_111, model_190
from apps.hr.services.payroll import payroll_run_calculate, payroll_run_post
from apps.hr.services.payroll_posting import payroll_run_pay
from apps.treasury.choices import TransferItemKind, TransferOrderState
from apps.treasury.services.forecast import SOURCES
from apps.treasury.services.sepa_xml import CT_SCHEMA, xml_validate
from apps.treasury.services.transfer_orders import transfer_order_settle
from tests.collections.conftest import coll_books  # noqa: F401
from tests.conftest import host_client
from tests.fixtures.tenants import PASSWORD
from tests.treasury.conftest import bank_account  # noqa: F401

D = datetime.date
M = Decimal


@pytest.fixture
def books(coll_books):  # noqa: F811
    return coll_books


@pytest.fixture
def march(hr_people, books, users_a):
    return payroll_run_calculate(actor=users_a["rrhh"], year=2026, month=3, payment_date=D(2026, 3, 31))


def _lines(entry):
    rows = {}
    for line in entry.lines.select_related("account"):
        debit, credit = rows.get(line.account.code, (M(0), M(0)))
        rows[line.account.code] = (debit + line.debit, credit + line.credit)
    return rows


def test_ana_march_payslip_has_the_issue_figures(march, hr_people):
    slip = march.payslips.get(employee=hr_people["ana"])
    assert (slip.days, slip.gross, slip.extra_pay, slip.contribution_base) == (30, M("1714.29"), 0, M("2000.00"))
    assert (slip.ss_employee, slip.irpf, slip.net) == (M("130.00"), M("205.71"), M("1378.58"))
    # 23,60 + 5,50 + 0,20 + 0,60 + 1,50 + 0,75 = 32,15 % of 2.000,00
    assert slip.ss_employer == M("643.00")
    assert [line["amount"] for line in slip.detail["employee_ss"]] == ["94.00", "31.00", "2.00", "3.00"]
    assert slip.detail["irpf"] == {"concept": "Retención IRPF", "base": "1714.29", "rate": "12.00",
                                   "amount": "205.71"}
    assert march.payslips.count() == 3 and march.state == PayrollRunState.CALCULATED
    assert march.skipped == []


def test_june_doubles_with_the_extra_payment(hr_people, books, users_a):
    june = payroll_run_calculate(actor=users_a["rrhh"], year=2026, month=6, payment_date=D(2026, 6, 30))
    slip = june.payslips.get(employee=hr_people["ana"])
    assert (slip.extra_pay, slip.gross, slip.contribution_base) == (M("1714.29"), M("3428.58"), M("2000.00"))
    assert (slip.irpf, slip.ss_employee, slip.net) == (M("411.43"), M("130.00"), M("2887.15"))


def test_contract_starting_mid_month_is_prorated_and_clamped(hr_people, books, users_a):
    pedro = hr_people["pedro"]
    Contract.objects.filter(employee=pedro).update(start_date=D(2026, 3, 16))
    run = payroll_run_calculate(actor=users_a["rrhh"], year=2026, month=3, payment_date=D(2026, 3, 31))
    slip = run.payslips.get(employee=pedro)
    # 15 days: 21.000 / 14 × 15/30 = 750,00; base 21.000 / 12 / 2 = 875,00 < minimum 1.381,20 / 2 = 690,60 → 875,00
    assert (slip.days, slip.gross, slip.contribution_base) == (15, M("750.00"), M("875.00"))


def test_entry_is_balanced_on_the_payroll_accounts(march, users_a):
    run = payroll_run_post(actor=users_a["rrhh"], run=march)
    assert run.state == PayrollRunState.POSTED
    entry = run.entry
    assert entry.date == D(2026, 3, 31) and entry.journal.code == "GEN"
    rows = _lines(entry)
    # gross 2.142,86 + 1.714,29 + 1.500,00; IRPF 321,43 + 205,71 + 150,00
    assert rows["640"] == (M("5357.15"), 0)
    assert rows["4751"] == (0, M("677.14"))
    assert rows["642"] == (M("2009.38"), 0)
    assert rows["476"] == (0, M("406.26") + M("2009.38"))
    assert rows["465"] == (0, run.net_total) and run.net_total == M("4273.75")
    assert sum(d for d, _c in rows.values()) == sum(c for _d, c in rows.values())
    assert entry.lines.filter(account__code="465", description__contains="Ana Martínez Ruiz").get().credit == \
        M("1378.58")


def test_run_for_closed_period_is_refused_and_nothing_saved(hr_people, books, users_a, admin_a):
    period = Period.objects.get(start_date=D(2026, 3, 1))
    period_set_state(actor=admin_a, period=period, state="closed")
    with pytest.raises(HRError) as exc:
        payroll_run_calculate(actor=users_a["rrhh"], year=2026, month=3, payment_date=D(2026, 3, 31))
    assert exc.value.code == "hr_payroll_period_closed"
    assert not PayrollRun.objects.exists() and not Payslip.objects.exists()


def test_recalculation_replaces_payslips_and_posted_run_is_refused(march, hr_people, users_a):
    ana = hr_people["ana"]
    ana.irpf_rate = M("15.00")
    ana.save()
    old = set(march.payslips.values_list("pk", flat=True))
    again = payroll_run_calculate(actor=users_a["rrhh"], year=2026, month=3, payment_date=D(2026, 3, 30))
    assert again.pk == march.pk and again.payslips.count() == 3
    assert not old & set(again.payslips.values_list("pk", flat=True))
    assert again.payslips.get(employee=ana).irpf == M("257.14")
    payroll_run_post(actor=users_a["rrhh"], run=again)
    with pytest.raises(HRError) as exc:
        payroll_run_calculate(actor=users_a["rrhh"], year=2026, month=3, payment_date=D(2026, 3, 31))
    assert exc.value.code == "hr_payroll_state"


def test_pay_creates_a_valid_pain001_and_settling_posts_465_against_bank(march, hr_people, users_a,
                                                                          bank_account):  # noqa: F811
    pedro = hr_people["pedro"]
    pedro.iban = ""
    pedro.save()
    run = payroll_run_post(actor=users_a["rrhh"], run=march)
    run = payroll_run_pay(actor=users_a["rrhh"], run=run)
    order = run.transfer_order
    assert run.state == PayrollRunState.PAID
    assert [reason for _slip, reason in run.refused] == ["Pedro Sanz Vela no tiene IBAN para la nómina."]
    xml_validate(order.xml, CT_SCHEMA)
    assert "<InstdAmt Ccy=\"EUR\">1378.58</InstdAmt>" in order.xml
    assert order.total == M("3037.51") and order.count == 2
    assert set(order.items.values_list("kind", flat=True)) == {TransferItemKind.PAYROLL}
    entries = transfer_order_settle(actor=users_a["rrhh"], order=order, date=D(2026, 4, 1))
    order.refresh_from_db()
    assert order.state == TransferOrderState.SETTLED and len(entries) == 2
    ana_entry = next(e for e in entries if "Ana" in e.description)
    assert _lines(ana_entry) == {"465": (M("1378.58"), 0), "572": (0, M("1378.58"))}


def test_payroll_is_in_the_cash_forecast(march, users_a):
    from apps.hr.services.payroll_forecast import payroll_flows

    assert payroll_flows in SOURCES
    flows = payroll_flows(D(2026, 3, 1), D(2026, 5, 31))
    by_day = {flow.date: flow.amount for flow in flows}
    assert by_day[D(2026, 3, 31)] == -march.net_total
    assert by_day[D(2026, 4, 30)] == -(march.net_total + march.ss_employee_total + march.ss_employer_total)


def test_models_111_and_190(march, hr_people, users_a):
    rows = model_111(2026)
    q1 = rows["quarters"][0]
    assert (q1["perceptores"], q1["rendimientos"], q1["retenciones"]) == (3, M("5357.15"), M("677.14"))
    ana = next(row for row in model_190(2026) if row["nif"] == "23456789D")
    assert (ana["clave"], ana["percepciones"], ana["retenciones"]) == ("A", M("1714.29"), M("205.71"))


def _pdf(tenants, users_a, role, slip):
    return host_client(tenants.alfa_host, users_a[role]).get(f"/rrhh/nominas/recibos/{slip.pk}/pdf/")


def test_payslip_pdf_is_private_to_employee_and_hr(march, hr_people, tenants, users_a):
    ana_slip = march.payslips.get(employee=hr_people["ana"])
    pedro_slip = march.payslips.get(employee=hr_people["pedro"])
    own = _pdf(tenants, users_a, "comercial", ana_slip)
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert _pdf(tenants, users_a, "comercial", pedro_slip).status_code == 404
    assert _pdf(tenants, users_a, "contabilidad", ana_slip).status_code == 404  # boss manages ana: still private
    assert _pdf(tenants, users_a, "rrhh", pedro_slip).status_code == 200


def _api(tenants, role):
    login = Client(HTTP_HOST=tenants.alfa_host).post(
        "/api/v1/auth/token/", {"email": tenants.emails[role], "password": PASSWORD}, content_type="application/json")
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")


def test_payslip_api_is_private(march, hr_people, tenants):
    ana = _api(tenants, "comercial")
    pedro_slip = march.payslips.get(employee=hr_people["pedro"])
    listed = ana.get("/api/v1/hr/payslips/").json()
    assert [row["employee"] for row in listed["results"]] == [hr_people["ana"].pk]
    assert listed["results"][0]["net"] == "1378.58"
    assert ana.get(f"/api/v1/hr/payslips/{pedro_slip.pk}/").status_code == 404
    assert ana.get(f"/api/v1/hr/payslips/{pedro_slip.pk}/pdf/").status_code == 404
    own_pdf = ana.get(f"/api/v1/hr/payslips/{listed['results'][0]['id']}/pdf/")
    assert own_pdf.status_code == 200 and own_pdf["Content-Type"] == "application/pdf"
    boss = _api(tenants, "contabilidad")
    ana_slip = march.payslips.get(employee=hr_people["ana"])
    assert boss.get(f"/api/v1/hr/payslips/{ana_slip.pk}/").status_code == 404
    assert ana.post("/api/v1/hr/payroll-runs/", {"year": 2026, "month": 4, "payment_date": "2026-04-30"},
                    content_type="application/json").status_code in (403, 404)
    hr = _api(tenants, "rrhh")
    made = hr.post("/api/v1/hr/payroll-runs/", {"year": 2026, "month": 4, "payment_date": "2026-04-30"},
                   content_type="application/json")
    assert made.status_code == 201 and made.json()["net_total"] == "4273.75"
    posted = hr.post(f"/api/v1/hr/payroll-runs/{made.json()['id']}/post/", content_type="application/json")
    assert posted.status_code == 200 and posted.json()["state"] == "posted"
    assert Entry.objects.filter(source=f"hr.payroll_run:{made.json()['id']}").count() == 1
