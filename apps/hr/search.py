"""What HR puts in the global search: employees, as apps.hr.access lets each reader see them (HR everyone,
a manager their team, anyone their own record)."""
from django.utils.translation import gettext_lazy as _

from apps.hr.access import visible_employees
from apps.hr.models import Employee
from apps.search.sources import SearchSource, register_source

register_source(SearchSource(
    kind="employee", label=_("Empleados"), model=Employee, title="full_name",
    subtitle=("code", "position", "department__name"), body=("tax_id", "work_centre__name", "city"),
    url="hr:employee-detail", visible=visible_employees, icon="bi-person-badge", order=60,
    select_related=("department", "work_centre"),
))
