"""The «Ausencias» panel of an employee's page: this year's balances and the latest requests (the page's reader
already may read the employee — apps.hr.access)."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from aitcore.registry import Panel
from apps.hr.models import LeaveRequest
from apps.hr.panels import register_employee_panel
from apps.hr.services.leave_allowances import balances


def leave_panel(employee, request) -> dict:
    year = timezone.localdate().year
    return {"year": year, "balances": balances(employee, year),
            "requests": list(LeaveRequest.objects.filter(employee=employee).select_related("leave_type")
                             .order_by("-start_date", "-pk")[:5])}


register_employee_panel(Panel(title=_l("Ausencias"), template="hr/leave/_panel.html", context=leave_panel, order=30))
