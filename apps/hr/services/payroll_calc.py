"""The monthly payslip of one employee from the contract in force (issue 8 item 6), pure arithmetic.

Conventions (each line rounded half-up to cents, every concept kept in Payslip.detail with base and rate):
  days               30-day month: 30 for a whole month; a contract starting on day d counts 30 - d + 1,
                     one ending on day e counts e (the last day of the month counts as 30);
  salario base       annual_salary / payments_per_year × days / 30;
  paga extra         with 14 payments, in June and December: annual_salary / 14 prorated by the days of the
                     semester the contract covered (days of the six months / 180);
  base de cotización annual_salary / 12 × days / 30 (the extras prorated), clamped to the year's minimum and
                     maximum bases × days / 30;
  SS trabajador      base × (common + unemployment + training + MEI) %, unemployment at the temporary rate
                     for temporary, training and internship contracts; SS empresa the same with FOGASA and AT/EP;
  IRPF               gross × employee.irpf_rate %; líquido = gross − IRPF − SS trabajador.
"""
import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from apps.hr.choices import ContractKind

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
TEMPORARY_KINDS = {ContractKind.TEMPORARY, ContractKind.TRAINING, ContractKind.INTERNSHIP}
EXTRA_MONTHS = {6: range(1, 7), 12: range(7, 13)}


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def contract_end(contract) -> datetime.date | None:
    return contract.termination_date or contract.end_date


def days_in_month(contract, year: int, month: int) -> int:
    """Days the contract covers of the month, in the 30-day convention (0 when it does not touch it)."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    end = contract_end(contract)
    if contract.start_date > last or (end is not None and end < first):
        return 0
    start_day = 1 if contract.start_date <= first else contract.start_date.day
    end_day = 30 if end is None or end >= last else min(end.day, 30)
    return max(0, end_day - start_day + 1)


@dataclass
class PayslipFigures:
    days: int
    base_salary: Decimal
    extra_pay: Decimal
    gross: Decimal
    contribution_base: Decimal
    irpf_rate: Decimal
    irpf: Decimal
    ss_employee: Decimal
    ss_employer: Decimal
    net: Decimal
    detail: dict = field(default_factory=dict)


def _line(label: str, base: Decimal, rate: Decimal) -> dict:
    return {"concept": label, "base": str(base), "rate": str(rate), "amount": str(money(base * rate / HUNDRED))}


def _total(lines) -> Decimal:
    return sum((Decimal(line["amount"]) for line in lines), ZERO)


def employee_rates(settings, kind: str) -> list[tuple[str, Decimal]]:
    temporary = kind in TEMPORARY_KINDS
    return [(_("Contingencias comunes"), settings.employee_common),
            (_("Desempleo"), settings.employee_unemployment_temporary if temporary else settings.employee_unemployment),
            (_("Formación profesional"), settings.employee_training),
            (_("Mecanismo de Equidad Intergeneracional (MEI)"), settings.employee_mei)]


def employer_rates(settings, kind: str) -> list[tuple[str, Decimal]]:
    temporary = kind in TEMPORARY_KINDS
    return [(_("Contingencias comunes"), settings.employer_common),
            (_("Desempleo"), settings.employer_unemployment_temporary if temporary else settings.employer_unemployment),
            (_("FOGASA"), settings.employer_fogasa),
            (_("Formación profesional"), settings.employer_training),
            (_("Accidentes de trabajo y enfermedades profesionales"), settings.employer_accidents),
            (_("Mecanismo de Equidad Intergeneracional (MEI)"), settings.employer_mei)]


def extra_pay(contract, year: int, month: int) -> Decimal:
    if contract.payments_per_year != 14 or month not in EXTRA_MONTHS:
        return ZERO
    semester_days = sum(days_in_month(contract, year, m) for m in EXTRA_MONTHS[month])
    return money(contract.annual_salary / 14 * semester_days / 180)


def payslip_figures(*, employee, contract, settings, year: int, month: int) -> PayslipFigures:
    days = days_in_month(contract, year, month)
    payments = contract.payments_per_year or 12
    base_salary = money(contract.annual_salary / payments * days / 30)
    extra = extra_pay(contract, year, month)
    gross = base_salary + extra
    raw_base = money(contract.annual_salary / 12 * days / 30)
    contribution_base = min(max(raw_base, money(settings.min_base * days / 30)), money(settings.max_base * days / 30))
    employee_lines = [_line(label, contribution_base, rate) for label, rate in employee_rates(settings, contract.kind)]
    employer_lines = [_line(label, contribution_base, rate) for label, rate in employer_rates(settings, contract.kind)]
    irpf_rate = employee.irpf_rate or ZERO
    irpf = money(gross * irpf_rate / HUNDRED)
    ss_employee, ss_employer = _total(employee_lines), _total(employer_lines)
    earnings = [{"concept": _("Salario base"), "base": str(money(contract.annual_salary / payments)),
                 "rate": f"{days}/30", "amount": str(base_salary)}]
    if extra:
        earnings.append({"concept": _("Paga extraordinaria"), "base": str(money(contract.annual_salary / 14)),
                         "rate": "", "amount": str(extra)})
    detail = {"earnings": earnings, "employee_ss": employee_lines, "employer_ss": employer_lines,
              "irpf": _line(_("Retención IRPF"), gross, irpf_rate),
              "contribution_base": {"computed": str(raw_base), "applied": str(contribution_base),
                                    "min": str(settings.min_base), "max": str(settings.max_base)},
              "days": days, "contract_kind": contract.kind, "group": contract.contribution_group,
              "agreement_group": contract.agreement_group}
    return PayslipFigures(days=days, base_salary=base_salary, extra_pay=extra, gross=gross,
                          contribution_base=contribution_base, irpf_rate=irpf_rate, irpf=irpf,
                          ss_employee=ss_employee, ss_employer=ss_employer, net=gross - irpf - ss_employee,
                          detail=detail)
