"""Documents of an employee's record: «Mis documentos» (self-service: own documents, download), the HR page of an
employee's documents (list, upload form, delete with confirmation), the download (streamed as an attachment with
the stored type) and the «Documentos» panel of the employee's page (shown to the employee and HR, not managers).
Thin: every change is one call to services.documents; who reads what is selectors_documents."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from aitcore.registry import MenuEntry, Panel
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error, styled
from apps.hr.access import employee_of, is_hr_staff
from apps.hr.choices import EmployeeDocumentKind
from apps.hr.panels import register_employee_panel
from apps.hr.selectors_documents import employee_documents, readable_document, readable_documents
from apps.hr.services.documents import ACCEPTED_TYPES, document_delete, document_open, document_upload
from apps.hr.views.employees import employee_url, readable_employee, require_hr

SECTION = _l("Mi espacio")
TITLE = _l("Mis documentos")
PANEL_ROWS = 8


class EmployeeDocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_l("Tipo"), choices=EmployeeDocumentKind.choices)
    title = forms.CharField(label=_l("Título"), max_length=200)
    file = forms.FileField(label=_l("Archivo"), help_text=_l("PDF, PNG, JPEG, Word (DOCX) o Excel (XLSX); 10 MB "
                                                                "como máximo."))


def documents_url(employee) -> str:
    return reverse("hr:employee-documents", args=[employee.pk])


@login_required
@require_GET
def my_documents_view(request):
    employee = employee_of(request.user)
    documents = list(readable_documents(request.user).filter(employee=employee).order_by("-created_at", "-pk")
                     ) if employee is not None else []
    return render(request, "hr/documents/mine.html", {"title": TITLE, "employee": employee, "documents": documents})


def _employee_page(request, employee, form, status=200):
    return render(request, "hr/documents/employee.html", {
        "title": _("Documentos"), "employee": employee, "employee_url": employee_url(employee),
        "documents": list(employee_documents(request.user, employee)), "form": styled(form),
        "accepted": ACCEPTED_TYPES}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def employee_documents_view(request, employee_pk):
    employee = readable_employee(request, employee_pk)
    require_hr(request)
    if request.method == "GET":
        return _employee_page(request, employee, EmployeeDocumentUploadForm())
    form = EmployeeDocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _employee_page(request, employee, form, status=400)
    data = form.cleaned_data
    try:
        document = document_upload(actor=request.user, employee=employee, kind=data["kind"], title=data["title"],
                                   upload=data["file"])
    except DomainError as exc:
        return _employee_page(request, employee, form, status=form_error(form, exc))
    messages.success(request, _("Documento «%s» subido.") % document.title)
    return redirect(documents_url(employee))


@login_required
@require_GET
def document_download_view(request, pk):
    document = readable_document(request.user, pk)
    try:
        opened = document_open(actor=request.user, document=document)
    except DomainError as exc:
        raise Http404(exc.message) from None
    return FileResponse(opened.handle, as_attachment=True, filename=opened.filename,
                        content_type=opened.content_type)


@login_required
@require_http_methods(["GET", "POST"])
def document_delete_view(request, pk):
    document = readable_document(request.user, pk)
    require_hr(request)
    back = documents_url(document.employee)
    if request.method == "GET":
        return render(request, "hr/documents/confirm_delete.html", {
            "title": _("Eliminar documento"), "object": document, "employee": document.employee,
            "employee_url": employee_url(document.employee), "back_url": back})
    try:
        document_delete(actor=request.user, document=document)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Documento «%s» eliminado.") % document.title)
    return redirect(back)


def documents_panel(employee, request) -> dict | None:
    """The panel of the employee's page: for the employee themself and HR only (None hides it)."""
    hr = is_hr_staff(request.user)
    if not hr and not (employee.user_id is not None and employee.user_id == request.user.pk):
        return None
    documents = list(employee_documents(request.user, employee)[:PANEL_ROWS + 1])
    return {"documents": documents[:PANEL_ROWS], "more": len(documents) > PANEL_ROWS, "is_hr": hr,
            "manage_url": documents_url(employee) if hr else reverse("hr:my-documents")}


register_employee_panel(Panel(title=_l("Documentos"), template="hr/documents/_panel.html", context=documents_panel,
                              order=20))

MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="hr:my-documents", icon="bi-folder2-open", order=25)]

urlpatterns = [
    path("mis-documentos/", my_documents_view, name="my-documents"),
    path("empleados/<int:employee_pk>/documentos/", employee_documents_view, name="employee-documents"),
    path("documentos/<int:pk>/descargar/", document_download_view, name="document-download"),
    path("documentos/<int:pk>/eliminar/", document_delete_view, name="document-delete"),
]
