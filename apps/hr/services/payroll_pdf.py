"""The payslip as a PDF (recibo individual justificativo del pago de salarios, Orden ESS/2098/2014,
simplified): company, employee (NIF, NAF, group), period, devengos, deducciones with their bases and
rates, líquido and the employer's contributions. xhtml2pdf, nothing remote is loaded."""
import calendar
import datetime
from decimal import Decimal
from io import BytesIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from xhtml2pdf import pisa

from apps.accounting.services.invoices_pdf import _brokerage, _no_remote, es_number
from apps.hr.errors import HRError

TEMPLATE = "hr/payroll/payslip_pdf.html"


def _rows(lines) -> list[dict]:
    return [{"concept": line["concept"], "base": es_number(line["base"]) if line.get("base") else "",
             "rate": (es_number(line["rate"]) + " %") if line.get("rate") and "/" not in line["rate"]
             else line.get("rate", ""), "amount": es_number(line["amount"])} for line in lines]


def payslip_pdf_context(slip) -> dict:
    run, employee, contract, detail = slip.run, slip.employee, slip.contract, slip.detail or {}
    first = datetime.date(run.year, run.month, 1)
    last = datetime.date(run.year, run.month, calendar.monthrange(run.year, run.month)[1])
    centre = employee.work_centre
    deductions = _rows(detail.get("employee_ss", []))
    irpf = detail.get("irpf")
    return {
        "brokerage": _brokerage(), "slip": slip, "employee": employee, "contract": contract,
        "centre": centre, "period_from": first.strftime("%d/%m/%Y"), "period_to": last.strftime("%d/%m/%Y"),
        "payment_date": run.payment_date.strftime("%d/%m/%Y"),
        "earnings": _rows(detail.get("earnings", [])), "deductions": deductions,
        "irpf": _rows([irpf])[0] if irpf else None, "employer": _rows(detail.get("employer_ss", [])),
        "gross": es_number(slip.gross), "ss_employee": es_number(slip.ss_employee),
        "deductions_total": es_number(slip.ss_employee + slip.irpf), "net": es_number(slip.net),
        "ss_employer": es_number(slip.ss_employer), "contribution_base": es_number(slip.contribution_base),
        "irpf_base": es_number(slip.gross), "days": slip.days,
        "cost": es_number(slip.gross + slip.ss_employer or Decimal(0)),
    }


def payslip_pdf(slip) -> bytes:
    buffer = BytesIO()
    result = pisa.CreatePDF(render_to_string(TEMPLATE, payslip_pdf_context(slip)), dest=buffer, encoding="utf-8",
                            link_callback=_no_remote)
    if result.err:
        raise HRError(_("No se pudo generar el PDF de la nómina."), code="hr_payslip_pdf")
    return buffer.getvalue()


def payslip_pdf_name(slip) -> str:
    return f"nomina-{slip.run.year}-{slip.run.month:02d}-{slip.employee.code}.pdf".replace("/", "-")
