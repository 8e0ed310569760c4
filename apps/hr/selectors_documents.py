"""Reads of employee documents: the employee reads their own, HR all; managers never their team's (the documents
are private, like payslips). A document outside the reader's reach answers 404, so its existence is not revealed."""
from django.http import Http404

from apps.hr.access import employee_of, is_hr_staff
from apps.hr.models import EmployeeDocument


def readable_documents(user):
    """HR: every document; an employee: their own; anyone else (managers included): none."""
    queryset = EmployeeDocument.objects.select_related("employee", "created_by")
    if is_hr_staff(user):
        return queryset
    me = employee_of(user)
    return queryset.filter(employee=me) if me is not None else queryset.none()


def readable_document(user, pk) -> EmployeeDocument:
    document = readable_documents(user).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def employee_documents(user, employee):
    """The documents of `employee` the user may read, newest first."""
    return readable_documents(user).filter(employee=employee).order_by("-created_at", "-pk")
