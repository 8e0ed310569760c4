"""Cash position and forecast (issue 7 item 8).

Numbers (T = today, settlements paid 10 days after their date, invoices 30 days after issue):
  position     a 100,00 € broker receipt collected today into the bank (572): books 100,00 €; a Norma 43
               statement closing at 90,00 € -> difference 10,00 €
  inflows      receipt due T-5 of 50,00 € (overdue -> day 0, flagged); 300,00 € due T+10; 400,00 € due T+40;
               an insurer-collected receipt of 999,00 € due T+10 is not the broker's money (excluded)
  outflows     settlement L-FC-1 of 1.200,00 € dated T+10 -> paid T+20; a lawyer's invoice of 500 € + 21 % VAT
               - 15 % IRPF = 530,00 € issued T without due date -> T+30
  balance      100 -> 150 (T) -> 450 (T+10) -> -750 (T+20, negative) -> -1.280 (T+30) -> -880 (T+40)
"""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounting.services.invoices import invoice_issue
from apps.collections.models import Receipt, Settlement
from apps.collections.services.receipts import receipt_collect
from apps.core.errors import DomainError
from apps.crm.models import BankAccount as PartyBankAccount
from apps.crm.services.parties import party_create
from apps.insurance.choices import PaymentFrequency, PaymentMethod
from apps.treasury.choices import TransferItemKind
from apps.treasury.models import Statement
from apps.treasury.services.forecast import cash_forecast, cash_position, forecast_records
from apps.treasury.services.transfer_orders import transfer_order_create, transfer_order_settle
from apps.treasury.services.transfer_sources import PaymentRequest

D = Decimal
API = "/api/v1/treasury/forecast/"


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _receipt(issued_policy, net, start, method=PaymentMethod.BROKER_SEPA) -> Receipt:
    policy = issued_policy(net=D(net), frequency=PaymentFrequency.ANNUAL, method=method, start=start)
    return policy.receipts.get()


@pytest.fixture
def collected(issued_policy, bank_account, admin_a, settings):
    settings.TREASURY_SETTLEMENT_PAYMENT_DAYS, settings.TREASURY_INVOICE_PAYMENT_DAYS = 10, 30
    receipt = _receipt(issued_policy, "100.00", _days(-30))
    receipt_collect(actor=admin_a, receipt=receipt, date=timezone.localdate(), channel="transfer",
                    bank=bank_account.account)
    return receipt


@pytest.fixture
def flows(collected, issued_policy, coll_catalog, admin_a):
    overdue = _receipt(issued_policy, "50.00", _days(-5))
    soon = _receipt(issued_policy, "300.00", _days(10))
    later = _receipt(issued_policy, "400.00", _days(40))
    insurer = _receipt(issued_policy, "999.00", _days(10), method=PaymentMethod.INSURER)
    settlement = Settlement.objects.create(number="L-FC-1", insurer=coll_catalog.insurer, period_start=_days(-40),
                                           period_end=_days(-10), date=_days(10), amount_due=D("1200.00"))
    lawyer = party_create(actor=None, data={"kind": "person", "first_name": "Marta", "last_name": "Abogada Ruiz",
                                            "tax_id": "87654321X"})
    invoice = invoice_issue(actor=admin_a, kind="received", party=lawyer, issue_date=timezone.localdate(),
                            full_number="2026/F17", lines=[{"description": "Minuta", "unit_price": "500",
                                                            "vat": "IVAS21", "withholding": "IRPF15"}])
    return {"overdue": overdue, "soon": soon, "later": later, "insurer": insurer, "settlement": settlement,
            "invoice": invoice}


def _statement(bank_account, closing="90.00"):
    return Statement.objects.create(bank_account=bank_account, start_date=_days(-7), end_date=_days(-1),
                                    opening_balance=D("0.00"), closing_balance=D(closing), file_hash="f" * 64)


def test_position_shows_books_statement_and_difference(collected, bank_account):
    position = cash_position()
    [row] = position.accounts
    assert (row.bank_account, row.balance, row.statement_balance, row.difference) == (bank_account, D("100.00"),
                                                                                      None, None)
    _statement(bank_account)
    [row] = cash_position().accounts
    assert (row.balance, row.statement_balance, row.statement_date, row.difference) == (
        D("100.00"), D("90.00"), _days(-1), D("10.00"))
    position = cash_position()
    assert (position.total, position.statement_total, position.difference_total) == (D("100.00"), D("90.00"),
                                                                                     D("10.00"))


def test_forecast_by_day_and_week_with_running_balance(flows):
    forecast = cash_forecast(horizon=90)
    assert (forecast.start, forecast.end, len(forecast.days), len(forecast.weeks)) == (
        _days(0), _days(89), 90, 13)
    assert forecast.opening == D("100.00")
    moving = {(day.start - forecast.start).days: (day.inflow, day.outflow, day.balance)
              for day in forecast.days if day.flows}
    assert moving == {0: (D("50.00"), D("0.00"), D("150.00")), 10: (D("300.00"), D("0.00"), D("450.00")),
                      20: (D("0.00"), D("1200.00"), D("-750.00")), 30: (D("0.00"), D("530.00"), D("-1280.00")),
                      40: (D("400.00"), D("0.00"), D("-880.00"))}
    [overdue] = forecast.days[0].flows
    assert (overdue.source, overdue.amount, overdue.count, overdue.overdue) == ("receipts", D("50.00"), 1, True)
    assert [(f.source, f.amount) for f in forecast.days[20].flows] == [("settlements_out", D("-1200.00"))]
    assert [(f.source, f.amount) for f in forecast.days[30].flows] == [("invoices", D("-530.00"))]
    assert forecast.days[10].flows[0].count == 1   # the insurer-collected 999,00 is not there
    assert (forecast.inflow, forecast.outflow, forecast.closing) == (D("750.00"), D("1730.00"), D("-880.00"))
    assert forecast.negative_days[0].start == _days(20) and len(forecast.negative_days) == 70
    weeks = [(w.inflow, w.outflow, w.balance) for w in forecast.weeks[:6]]
    assert weeks == [(D("50.00"), D("0.00"), D("150.00")), (D("300.00"), D("0.00"), D("450.00")),
                     (D("0.00"), D("1200.00"), D("-750.00")), (D("0.00"), D("0.00"), D("-750.00")),
                     (D("0.00"), D("530.00"), D("-1280.00")), (D("400.00"), D("0.00"), D("-880.00"))]
    assert forecast.weeks[0].overdue and forecast.weeks[2].negative and not forecast.weeks[1].negative
    short = cash_forecast(horizon=15)
    assert (short.end, short.closing, short.outflow) == (_days(14), D("450.00"), D("0.00"))


def test_drill_down_lists_the_records(flows):
    receipts = forecast_records(source="receipts", date_from=None, date_to=_days(6))
    assert [(r.reference, r.amount, r.overdue) for r in receipts] == [(flows["overdue"].number, D("50.00"), True)]
    receipts = forecast_records(source="receipts", date_from=_days(7), date_to=_days(13))
    assert [r.reference for r in receipts] == [flows["soon"].number]
    [settlement] = forecast_records(source="settlements_out", date_from=_days(14), date_to=_days(20))
    assert (settlement.reference, settlement.amount, settlement.date) == ("L-FC-1", D("1200.00"), _days(20))
    [invoice] = forecast_records(source="invoices", date_from=_days(28), date_to=_days(34))
    assert (invoice.reference, invoice.amount, invoice.date) == ("2026/F17", D("530.00"), _days(30))
    assert invoice.url == reverse("accounting:invoice-detail", args=[flows["invoice"].pk])


def test_paid_things_leave_the_forecast(flows, admin_a, bank_account):
    from apps.collections.services.settlements import settlement_mark_paid

    settlement_mark_paid(actor=admin_a, settlement=flows["settlement"], date=_days(10), bank=bank_account.account)
    forecast = cash_forecast(horizon=90)
    assert forecast.opening == D("100.00")   # paid with a later date: today's books do not move
    assert not forecast.days[20].flows and forecast.outflow == D("530.00")

    lawyer = flows["invoice"].party
    PartyBankAccount.objects.create(party=lawyer, iban="ES9221000813620123456700", is_primary=True)
    order = transfer_order_create(actor=admin_a, bank_account=bank_account, execution_date=_days(5),
                                  items=[PaymentRequest(TransferItemKind.SUPPLIER_INVOICE, flows["invoice"].pk)])
    forecast = cash_forecast(horizon=90)   # the invoice now leaves with its transfer order
    assert [(f.source, f.amount) for f in forecast.days[5].flows] == [("transfer_orders", D("-530.00"))]
    assert not forecast.days[30].flows and forecast.outflow == D("530.00")
    transfer_order_settle(actor=admin_a, order=order, date=_days(5))
    assert cash_forecast(horizon=90).outflow == D("0.00")


@pytest.mark.parametrize("horizon", [0, 400, "abc"])
def test_horizon_out_of_range_is_refused(horizon, tenant_a):
    with pytest.raises(DomainError) as exc:
        cash_forecast(horizon=horizon)
    assert (exc.value.code, exc.value.status) == ("treasury_forecast_horizon", 400)


def test_page_renders_chart_table_and_csv(flows, bank_account, client_a):
    _statement(bank_account)
    url = reverse("treasury:forecast")
    with CaptureQueriesContext(connection) as queries:
        response = client_a.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="forecast-data"' in html and "treasury/forecast.js" in html and "<script>" not in html
    assert response.context["chart"]["inflows"][:3] == ["50.00", "300.00", "0.00"]
    assert response.context["chart"]["balance"][2] == "-750.00"
    assert "100,00" in html and "90,00" in html and "10,00" in html and "-1.280,00" in html
    assert 'id="forecast-negative"' in html and "table-danger" in html
    detail = reverse("treasury:forecast-detail")
    week3 = f"?origen=settlements_out&amp;hasta={_days(20).isoformat()}&amp;desde={_days(14).isoformat()}"
    assert detail + week3 in html

    page = client_a.get(detail, {"origen": "settlements_out", "desde": _days(14), "hasta": _days(20)})
    assert "L-FC-1" in page.content.decode() and "1.200,00" in page.content.decode()
    assert client_a.get(detail, {"origen": "nada", "hasta": _days(1)}).status_code == 400

    export = client_a.get(url, {"horizonte": 45, "export": "csv"})
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Fecha;Cobros;Pagos;Neto;Saldo") and len(lines) == 46
    assert lines[21].startswith(f"{_days(20):%d/%m/%Y};0,00;1200,00;-1200,00;-750,00;")
    assert "400,00" in lines[41]
    refused = client_a.get(url, {"horizonte": 400})
    assert refused.status_code == 200 and 'id="forecast-form-errors"' in refused.content.decode()

    # The number of queries does not grow with the records.
    for n in range(3):
        Settlement.objects.create(number=f"L-FC-X{n}", insurer=flows["settlement"].insurer,
                                  period_start=_days(-100 - n * 10), period_end=_days(-95 - n * 10), date=_days(n),
                                  amount_due=D("10.00"))
    with CaptureQueriesContext(connection) as more:
        client_a.get(url)
    assert len(more) == len(queries) <= 25


def test_page_needs_the_view_permission(tenants, users_a, tenant_a):
    from tests.conftest import host_client

    assert host_client(tenants.alfa_host, users_a["comercial"]).get(reverse("treasury:forecast")).status_code == 403


def test_api_returns_position_and_daily_flows(flows, bank_account, tenants, api_token_a):
    _statement(bank_account)
    api = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    data = api.get(API, {"horizon": 45}).json()
    assert (data["horizon"], data["opening"], data["inflow"], data["outflow"], data["closing"]) == (
        45, "100.00", "750.00", "1730.00", "-880.00")
    [account] = data["position"]["accounts"]
    assert (account["balance"], account["statement_balance"], account["difference"]) == ("100.00", "90.00", "10.00")
    assert len(data["days"]) == 45
    day0, day20 = data["days"][0], data["days"][20]
    assert day0["flows"] == [{"date": _days(0).isoformat(), "source": "receipts", "label": "Recibos a cobrar",
                              "amount": "50.00", "count": 1, "overdue": True}]
    assert (day20["outflow"], day20["balance"], day20["negative"]) == ("1200.00", "-750.00", True)
    problem = api.get(API, {"horizon": 400})
    assert problem.status_code == 400 and problem.json()["code"] == "treasury_forecast_horizon"
