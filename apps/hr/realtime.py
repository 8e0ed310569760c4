"""Live updates of the employee page: after a commit that changed an employee or something its page
shows (contracts, leave, the registro de jornada, their panels), the pages following
"hr.employee.<pk>" on /ws/records/ are told. HR events name the employee they concern ("employee"
in the payload) or are the employee's own ("hr.employee.<verb>" with its pk). Who may follow: whoever
may open the page (the employee, their managers, HR: apps.hr.access). The colleagues' collaboration on
an employee's record (presence, comments, shared note) is HR's alone.
"""
from apps.collaboration.records import register_collaboration_rule
from apps.core.events import subscribe
from apps.notifications.realtime import record_changed, record_key, register_live_record

EMPLOYEE = "hr.employee"


def can_view_employee(user, pk: int) -> bool:
    from apps.hr.access import visible_employees

    return visible_employees(user).filter(pk=pk).exists()


def hr_collaborates(user, pk: int) -> bool:
    from apps.hr.access import is_hr_staff

    return is_hr_staff(user)


def keys_of_event(event_name: str, payload: dict) -> set[str]:
    app_label, _sep, rest = event_name.partition(".")
    if app_label != "hr":
        return set()
    keys = set()
    if rest.startswith("employee.") and not rest.endswith(".created") and payload.get("pk"):
        keys.add(record_key(EMPLOYEE, payload["pk"]))
    if payload.get("employee"):
        keys.add(record_key(EMPLOYEE, payload["employee"]))
    return keys


def push_employee_changes(event_name: str, payload: dict) -> None:
    for key in sorted(keys_of_event(event_name, payload)):
        record_changed(key, schema=payload.get("schema"))


register_live_record(EMPLOYEE, can_view_employee)
register_collaboration_rule(EMPLOYEE, hr_collaborates)
subscribe("*", push_employee_changes)
