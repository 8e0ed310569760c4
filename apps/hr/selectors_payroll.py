"""Reads of payroll: who may read which payslip (the employee their own, HR all; managers never: payslips are
private), the runs and payslips lists, and the data of modelo 111 (quarterly withholdings, clave 01
rendimientos del trabajo, dinerarios) and modelo 190 (annual summary per perceptor, clave A)."""
from decimal import Decimal

from django.db.models import Count, Sum
from django.http import Http404

from apps.hr.access import employee_of, is_hr_staff
from apps.hr.choices import PayrollRunState
from apps.hr.models import PayrollRun, Payslip

ZERO = Decimal("0.00")
# Withholdings are declared for the runs that reached the books (posted or paid).
DECLARED = (PayrollRunState.POSTED, PayrollRunState.PAID)


def readable_payslips(user):
    """HR: every payslip; an employee: their own; anyone else (managers included): none."""
    queryset = Payslip.objects.select_related("run", "employee", "contract")
    if is_hr_staff(user):
        return queryset
    me = employee_of(user)
    return queryset.filter(employee=me) if me is not None else queryset.none()


def readable_payslip(user, pk) -> Payslip:
    slip = readable_payslips(user).filter(pk=pk).first()
    if slip is None:
        raise Http404
    return slip


def runs():
    return PayrollRun.objects.annotate(payslip_count=Count("payslips")).select_related("entry", "transfer_order")


def run_payslips(run):
    return run.payslips.select_related("employee", "contract").order_by("employee__last_name",
                                                                         "employee__first_name")


def _declared(year: int, *, declared_only: bool):
    queryset = Payslip.objects.filter(run__year=year)
    return queryset.filter(run__state__in=DECLARED) if declared_only else queryset


def model_111(year: int, *, declared_only: bool = False) -> dict:
    """Per month and per quarter of `year`: perceptores (distinct employees), rendimientos (gross) and
    retenciones (IRPF) of clave 01. With declared_only, only posted or paid runs count."""
    rows = (_declared(year, declared_only=declared_only).values("run__month")
            .annotate(perceptores=Count("employee", distinct=True), rendimientos=Sum("gross"),
                      retenciones=Sum("irpf")).order_by("run__month"))
    months = {row["run__month"]: row for row in rows}
    people = {}
    for month, employee in _declared(year, declared_only=declared_only).values_list("run__month", "employee_id"):
        people.setdefault((month - 1) // 3, set()).add(employee)
    month_rows = [{"month": m, "perceptores": months.get(m, {}).get("perceptores", 0),
                   "rendimientos": months.get(m, {}).get("rendimientos") or ZERO,
                   "retenciones": months.get(m, {}).get("retenciones") or ZERO} for m in range(1, 13)]
    quarters = []
    for q in range(4):
        chunk = month_rows[q * 3:q * 3 + 3]
        quarters.append({"quarter": q + 1, "perceptores": len(people.get(q, ())),
                         "rendimientos": sum((r["rendimientos"] for r in chunk), ZERO),
                         "retenciones": sum((r["retenciones"] for r in chunk), ZERO)})
    return {"year": year, "months": month_rows, "quarters": quarters}


def model_190(year: int, *, declared_only: bool = False) -> list[dict]:
    """One row per perceptor of `year`: NIF, name (apellidos y nombre), clave A, percepciones, retenciones."""
    rows = (_declared(year, declared_only=declared_only)
            .values("employee__tax_id", "employee__last_name", "employee__first_name")
            .annotate(percepciones=Sum("gross"), retenciones=Sum("irpf"))
            .order_by("employee__last_name", "employee__first_name"))
    return [{"nif": row["employee__tax_id"], "name": f"{row['employee__last_name']}, {row['employee__first_name']}",
             "clave": "A", "percepciones": row["percepciones"], "retenciones": row["retenciones"]} for row in rows]
