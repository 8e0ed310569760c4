"""Reads of HR records other helpers share: the contract in force on a date and the contracts of a month
(payroll, leave), and the org chart (departments, then each manager with their reports)."""
import calendar
import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from apps.hr.models import Contract, Department, Employee


def with_effective_end(queryset):
    """Annotates `effective_end`: the termination date of an ended contract, else its end date (None: open)."""
    return queryset.annotate(effective_end=Coalesce(F("termination_date"), F("end_date")))


def in_force_q(first: datetime.date, last: datetime.date) -> Q:
    """Contracts (annotated with effective_end) in force on some day of [first, last]."""
    return Q(start_date__lte=last) & (Q(effective_end__isnull=True) | Q(effective_end__gte=first))


def current_contract(employee, on_date: datetime.date) -> Contract | None:
    """The employee's contract in force on `on_date` (the latest started if two touch that day), or None."""
    queryset = with_effective_end(Contract.objects.filter(employee=employee))
    return queryset.filter(in_force_q(on_date, on_date)).order_by("-start_date", "-pk").first()


def contracts_in_month(year: int, month: int) -> dict[int, Contract]:
    """{employee_id: contract} of every contract in force on some day of the month, in one query; an employee
    whose contract ended and another began that month maps to the later one."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    queryset = with_effective_end(Contract.objects.select_related("employee")).filter(in_force_q(first, last))
    return {contract.employee_id: contract for contract in queryset.order_by("employee_id", "start_date", "pk")}


def org_chart() -> dict:
    """Two queries: departments as a tree (with their active people) and the managers → reports tree."""
    departments = list(Department.objects.select_related("head").order_by("name"))
    people = list(Employee.objects.filter(is_active=True).order_by("last_name", "first_name")
                  .only("pk", "first_name", "last_name", "position", "manager_id", "department_id"))
    by_department, reports = {}, {}
    for person in people:
        by_department.setdefault(person.department_id, []).append(person)
        reports.setdefault(person.manager_id, []).append(person)
    children = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)

    def department_node(department):
        return {"department": department, "people": by_department.get(department.pk, []),
                "children": [department_node(child) for child in children.get(department.pk, [])]}

    def person_node(person, seen):
        seen = seen | {person.pk}
        return {"person": person, "reports": [person_node(r, seen) for r in reports.get(person.pk, [])
                                              if r.pk not in seen]}

    ids = {person.pk for person in people}
    tops = [person for person in people if person.manager_id is None or person.manager_id not in ids]
    return {"departments": [department_node(d) for d in children.get(None, [])],
            "unassigned": by_department.get(None, []),
            "managers": [person_node(person, set()) for person in tops]}


def event_rows(event, *, show_salary: bool) -> list[tuple[str, str | None, str]]:
    """(label, before, after) of a contract event's changes; the salary left out for readers who may not see it."""
    rows = []
    for key, value in (event.changes or {}).items():
        if key == "annual_salary" and not show_salary:
            continue
        try:
            label = str(Contract._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            label = key
        before, after = (value[0], value[1]) if isinstance(value, list) and len(value) == 2 else (None, value)
        rows.append((label, before, "—" if after in (None, "") else after))
    return rows


def contracts_with_history(employee, *, show_salary: bool) -> list[Contract]:
    """The employee's contracts, newest first, each with `timeline`: its events as recorded, with their rows."""
    contracts = list(Contract.objects.filter(employee=employee).prefetch_related("events__created_by")
                     .order_by("-start_date"))
    for contract in contracts:
        contract.timeline = sorted(contract.events.all(), key=lambda e: e.pk)  # in the order they were recorded
        for event in contract.timeline:
            event.rows = event_rows(event, show_salary=show_salary)
    return contracts
