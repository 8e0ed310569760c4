"""Who may read which employee's records: the employee their own, a manager their team (every level
below them), HR (role RRHH: the hr module's permissions) everyone. Pages, API and services ask here;
a record outside the reader's reach answers 404, so its existence is not revealed."""
from django.http import Http404

from apps.hr.models import Employee

HR_PERMISSION = "hr.change_employee"


def is_hr_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(HR_PERMISSION))


def employee_of(user) -> Employee | None:
    """The employee record of a logged-in user (None for users who are not employees)."""
    if user is None or not user.is_authenticated:
        return None
    return Employee.objects.filter(user=user).first()


def team_ids(employee: Employee | None) -> set[int]:
    """Ids of everyone who reports to `employee`, directly or through others (one query per level)."""
    if employee is None:
        return set()
    found, level = set(), {employee.pk}
    while level:
        level = set(Employee.objects.filter(manager_id__in=level).values_list("pk", flat=True)) - found
        found |= level
    return found


def visible_employee_ids(user) -> set[int] | None:
    """None means every employee (HR); otherwise the reader's own id and their team's."""
    if is_hr_staff(user):
        return None
    me = employee_of(user)
    if me is None:
        return set()
    return {me.pk} | team_ids(me)


def visible_employees(user):
    ids = visible_employee_ids(user)
    queryset = Employee.objects.all()
    return queryset if ids is None else queryset.filter(pk__in=ids)


def can_read_employee(user, employee: Employee) -> bool:
    ids = visible_employee_ids(user)
    return ids is None or employee.pk in ids


def manages(user, employee: Employee) -> bool:
    """May `user` approve for `employee` (their manager at any level, or HR)? Nobody approves their own."""
    me = employee_of(user)
    if me is not None and me.pk == employee.pk:
        return False
    return is_hr_staff(user) or employee.pk in team_ids(me)


def require_readable(user, employee: Employee) -> Employee:
    if not can_read_employee(user, employee):
        raise Http404
    return employee
