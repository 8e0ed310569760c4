"""Demo books for the demo brokerage: the previous calendar year in full and the current year up
to the last finished month, as a small broker keeps them.

Every month of the previous year: commission invoices to five insurers (exempt, art. 20.Uno.16º
LIVA) collected the next month (from January of the current year the commission invoices come from
the insurer settlements of the receipts demo, apps.collections.demo). Every month: the office rent (IVA 21 % and IRPF 19 %), the gestoría (IVA 21 % and IRPF 15 %),
bank fees, payroll (640/642 against 476, 4751 and 465) with the net paid at month end and the
Social Security the next month (a flat figure, except the last two months: their real payroll runs come
from the HR demo, apps.hr.demo); every quarter the withholdings (models 111/115) are paid.
Invoices go through apps.accounting.services.invoices (invoice_issue); the rest through
entry_post. The previous year is left open so the year-end close can be tried on it.
Runs once: skips if its entries exist.
"""
import datetime
import random
from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from stdnum.es import cif

from apps.accounting.models import AccountingSettings, Entry, EntryLine

DEMO_SOURCE = "accounting.demo"
HR_PAYROLL_MONTHS = 2  # the months before this one whose payroll the HR demo runs and posts (apps.hr.demo)
TWO = Decimal("0.01")
# (name, CIF body without check character, ramos, monthly commission range)
INSURERS = [
    ("Mutua Levantina de Seguros y Reaseguros", "V4610245", ("autos", "hogar"), (6000, 9000)),
    ("Aseguradora Ibérica de Vida, S.A.", "A2803117", ("vida", "decesos"), (2500, 4500)),
    ("Salud Mediterránea Compañía de Seguros, S.A.", "A4612298", ("salud",), (2800, 4800)),
    ("Unión Empresarial de Seguros, S.A.", "A0816733", ("empresas", "rc"), (4000, 7000)),
    ("Previsora del Turia, Mutua de Seguros", "V9614502", ("accidentes", "hogar"), (1500, 3000)),
]
LANDLORD = ("Inmuebles Ruzafa Patrimonial, S.L.", "B9627814")
ADVISOR = ("Asesoría Gestiona Valencia, S.L.", "B9703351")
RENT = Decimal("1450.00")
ADVISOR_FEE = Decimal("620.00")
GROSS_PAYROLL = Decimal("9800.00")
EMPLOYER_SS_RATE = Decimal("0.3040")
EMPLOYEE_SS_RATE = Decimal("0.0647")
PAYROLL_IRPF_RATE = Decimal("0.1450")


def _with_check(body: str) -> str:
    digit, letter = cif.calc_check_digits(body)
    return body + (digit if body[0] in "ABEHV" else letter)


def _company(*, admin, name: str, body: str):
    from apps.crm.models import Party
    from apps.crm.services.parties import party_create

    tax_id = _with_check(body)
    party = Party.objects.filter(tax_id=tax_id).first()
    return party or party_create(actor=admin, data={"kind": "company", "company_name": name, "tax_id": tax_id,
                                                    "status": "prospect"})


def _months(today: datetime.date) -> list[datetime.date]:
    """Month ends from January of last year to the last month finished before `today`."""
    ends, year, month = [], today.year - 1, 1
    while (year, month) < (today.year, today.month):
        following = datetime.date(year + (month == 12), month % 12 + 1, 1)
        ends.append(following - datetime.timedelta(days=1))
        year, month = following.year, following.month
    return ends


def _money(value) -> Decimal:
    return Decimal(value).quantize(TWO)


def _balance(account) -> Decimal:
    totals = EntryLine.objects.filter(account=account, is_posted=True).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (totals["d"] or Decimal(0)) - (totals["c"] or Decimal(0))


def accounting_demo_seed(*, admin, today: datetime.date | None = None) -> None:
    from django.utils import timezone

    from apps.accounting.services import (
        accounting_setup, entry_post, fiscal_year_for_calendar_year, mapped_account, party_subaccount,
    )
    from apps.accounting.services.invoices import invoice_issue

    if Entry.objects.filter(source=DEMO_SOURCE).exists():
        return
    chart = (AccountingSettings.objects.values_list("chart", flat=True).first()
             or getattr(getattr(connection, "tenant", None), "chart_of_accounts", None) or "pgc_pymes")
    accounting_setup(actor=admin, chart=chart)
    today = today or timezone.localdate()
    months = _months(today)
    hr_payroll_from = months[-HR_PAYROLL_MONTHS].replace(day=1) if len(months) >= HR_PAYROLL_MONTHS else today
    for year in sorted({day.year for day in months}):
        fiscal_year_for_calendar_year(actor=admin, year=year)
    rng = random.Random(2026)
    insurers = [(_company(admin=admin, name=name, body=body), ramos, span) for name, body, ramos, span in INSURERS]
    landlord = _company(admin=admin, name=LANDLORD[0], body=LANDLORD[1])
    advisor = _company(admin=admin, name=ADVISOR[0], body=ADVISOR[1])
    clients_base = mapped_account("clients").code
    creditors_base = mapped_account("creditors").code
    bank, fees = mapped_account("bank"), mapped_account("bank_fees")
    withholding, social_security = mapped_account("withholding_payable"), mapped_account("social_security_payable")
    salaries_payable = mapped_account("salaries_payable")
    commission_account = mapped_account("commission_income")

    def post(date, description, lines, journal):
        if date <= today:
            entry_post(actor=admin, date=date, description=description, lines=lines, journal=journal,
                       source=DEMO_SOURCE)

    # Opening capital and bank balance, so the bank never goes into overdraft in the demo.
    post(datetime.date(months[0].year, 1, 1), "Aportación de los socios", [
        {"account": bank, "debit": Decimal("60000.00")}, {"account": "100", "credit": Decimal("60000.00")}], "BAN")
    for month_end in months:
        label = month_end.strftime("%m/%Y")
        next_10 = month_end + datetime.timedelta(days=10)
        # Commission invoices to insurers (exempt), collected on the 10th of the next month.
        for insurer, ramos, (low, high) in (insurers if month_end.year < today.year else []):
            lines = [{"description": f"Comisiones de mediación {label} · {ramo}", "quantity": 1,
                      "unit_price": _money(rng.uniform(low, high) / len(ramos)), "vat": "EXENTO20",
                      "account": commission_account, "line_of_business": ramo, "insurer": insurer}
                     for ramo in ramos]
            invoice = invoice_issue(actor=admin, kind="issued", party=insurer, issue_date=month_end, lines=lines,
                                    due_date=next_10)
            receivable = party_subaccount(actor=admin, party=insurer, base_code=clients_base)
            post(next_10, f"Cobro factura {invoice.full_number} {insurer}", [
                {"account": bank, "debit": invoice.total},
                {"account": receivable, "party": insurer, "credit": invoice.total}], "COB")
        # Office rent (IRPF 19 %) and the gestoría (IRPF 15 %), paid on the 5th.
        first = month_end.replace(day=1)
        for party, price, account, vat, irpf, number, concept in (
                (landlord, RENT, "621", "IVAS21", "IRPF19", f"ALQ-{label}", "Alquiler de la oficina"),
                (advisor, ADVISOR_FEE, "623", "IVAS21", "IRPF15", f"GV-{month_end:%Y%m}", "Asesoría laboral y fiscal")):
            invoice = invoice_issue(actor=admin, kind="received", party=party, issue_date=first,
                                    full_number=number, lines=[{
                                        "description": f"{concept} {label}", "quantity": 1, "unit_price": price,
                                        "vat": vat, "withholding": irpf, "account": account}])
            payable = party_subaccount(actor=admin, party=party, base_code=creditors_base)
            post(first + datetime.timedelta(days=4), f"Pago factura {number} {party}", [
                {"account": payable, "party": party, "debit": invoice.total},
                {"account": bank, "credit": invoice.total}], "BAN")
        # Bank fees.
        fee = _money(rng.uniform(28, 65))
        post(month_end, f"Comisiones bancarias {label}", [
            {"account": fees, "debit": fee}, {"account": bank, "credit": fee}], "BAN")
        # Payroll: gross, employer SS, employee SS and IRPF withheld, net paid at month end. The last
        # HR_PAYROLL_MONTHS months are left to the HR demo, which posts its real payroll runs for them.
        if month_end < hr_payroll_from:
            gross = GROSS_PAYROLL * (2 if month_end.month in (6, 12) else 1)  # extra pays in June and December
            employer_ss = _money(GROSS_PAYROLL * EMPLOYER_SS_RATE)
            employee_ss = _money(gross * EMPLOYEE_SS_RATE)
            irpf = _money(gross * PAYROLL_IRPF_RATE)
            net = gross - employee_ss - irpf
            post(month_end, f"Nóminas {label}", [
                {"account": "640", "debit": gross}, {"account": "642", "debit": employer_ss},
                {"account": social_security, "credit": employer_ss + employee_ss},
                {"account": withholding, "credit": irpf}, {"account": salaries_payable, "credit": net}], "NOM")
            post(month_end, f"Pago de nóminas {label}", [
                {"account": salaries_payable, "debit": net}, {"account": bank, "credit": net}], "BAN")
            post(month_end + datetime.timedelta(days=28), f"Seguros sociales {label}", [
                {"account": social_security, "debit": employer_ss + employee_ss},
                {"account": bank, "credit": employer_ss + employee_ss}], "BAN")
        # Quarterly withholdings (models 111 and 115) paid on the 20th of the next month.
        if month_end.month % 3 == 0:
            due = month_end + datetime.timedelta(days=20)
            owed = -_balance(withholding)
            if owed > 0:
                post(due, f"Modelos 111 y 115 {(month_end.month - 1) // 3 + 1}T {month_end.year}", [
                    {"account": withholding, "debit": owed}, {"account": bank, "credit": owed}], "BAN")
