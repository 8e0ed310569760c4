"""Who may view the records that get a generated document but had no live-record rule of their own (invoices,
settlements, payslips): the same rule as their pages. apps.documents.access (attach, download) asks
apps.notifications.realtime for it (a kind its own app registers is left alone), and its lists ask the scope
registered here (invoices have theirs: the search source)."""
from apps.documents.access import register_documents_scope
from apps.notifications.realtime import is_live_kind, register_live_record


def _exists(model_label: str, permission: str):
    def can_view(user, pk: int) -> bool:
        from django.apps import apps

        return user.has_perm(permission) and apps.get_model(model_label)._default_manager.filter(pk=pk).exists()

    return can_view


def _can_view_payslip(user, pk: int) -> bool:
    from apps.hr.selectors_payroll import readable_payslips

    return readable_payslips(user).filter(pk=pk).exists()


VIEWERS = {
    "accounting.invoice": _exists("accounting.Invoice", "accounting.view_invoice"),
    "collections.settlement": _exists("collections.Settlement", "collections.view_settlement"),
    "collections.collaboratorsettlement": _exists("collections.CollaboratorSettlement",
                                                  "collections.view_collaboratorsettlement"),
    "hr.payslip": _can_view_payslip,
}


def _all_with(model_label: str, permission: str):
    def scope(user):
        from django.apps import apps

        return apps.get_model(model_label)._default_manager.all() if user.has_perm(permission) else None

    return scope


def _payslips(user):
    """readable_payslips' rule (HR: all; an employee: their own) as one SQL condition, no query of its own."""
    from apps.hr.access import is_hr_staff
    from apps.hr.models import Payslip

    return Payslip.objects.all() if is_hr_staff(user) else Payslip.objects.filter(employee__user=user)


SCOPES = {
    "collections.settlement": _all_with("collections.Settlement", "collections.view_settlement"),
    "collections.collaboratorsettlement": _all_with("collections.CollaboratorSettlement",
                                                    "collections.view_collaboratorsettlement"),
    "hr.payslip": _payslips,
}


def register() -> None:
    for kind, can_view in VIEWERS.items():
        if not is_live_kind(kind):
            register_live_record(kind, can_view)
    for kind, scope in SCOPES.items():
        register_documents_scope(kind, scope)
