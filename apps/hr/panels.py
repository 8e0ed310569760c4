"""Sections other HR areas add to an employee's page (documents, leave, training…): each registers a
aitcore.registry.Panel under "hr.employee"; the page shows those the reader may see, in order.

    from apps.hr.panels import register_employee_panel
    register_employee_panel(Panel(title=_l("Documentos"), template="hr/documents/_panel.html",
                                  context=lambda employee, request: {...} or None, order=20))
The context function gets (employee, request) and returns the template's `panel` dict, or None to hide it;
the employee is already readable by the request's user (apps.hr.access)."""
from aitcore.registry import Panel, registry

MODEL_LABEL = "hr.employee"


def register_employee_panel(panel: Panel) -> None:
    registry.register_panel(MODEL_LABEL, panel)


def employee_panels(employee, request) -> list[dict]:
    return registry.panels_for(MODEL_LABEL, employee, request)
