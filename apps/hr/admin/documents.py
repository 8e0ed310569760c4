"""Admin: employees' documents, read-only (the file is uploaded on the employee's «Documentos» page or through the
API, both through services.documents); the action deletes the chosen ones through the same service (audited,
file removed from storage)."""
from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.hr.admin.employees import _ReadOnlyAdmin, _run
from apps.hr.models import EmployeeDocument
from apps.hr.services.documents import document_delete


@admin.register(EmployeeDocument)
class EmployeeDocumentAdmin(_ReadOnlyAdmin):
    list_display = ["title", "employee", "kind", "content_type", "size_display", "created_at", "created_by"]
    list_filter = ["kind", "content_type"]
    search_fields = ["title", "employee__code", "employee__first_name", "employee__last_name", "employee__tax_id"]
    list_select_related = ["employee", "created_by"]
    date_hierarchy = "created_at"
    exclude = ["file"]  # the stored path is not shown; download from the employee's page
    actions = ["remove"]

    @admin.display(description=_l("tamaño"), ordering="size")
    def size_display(self, obj):
        return filesizeformat(obj.size)

    @admin.action(description=_l("Eliminar los documentos elegidos (y sus archivos)"), permissions=["view"])
    def remove(self, request, queryset):
        _run(self, request, queryset, lambda document: document_delete(actor=request.user, document=document),
             _("Documentos eliminados: %d."))
