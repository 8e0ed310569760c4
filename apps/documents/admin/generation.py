"""Admin: the brokerage's document templates, read-only with their revisions inline. They are edited on the
template editor page (Documentos › Plantillas de documentos), which checks them in the sandbox first; the one
action here is «volver a la plantilla de serie», the service's reset (kept as a revision too)."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.documents.models import DocumentTemplate, DocumentTemplateRevision
from apps.documents.services.templates import document_template_reset


class DocumentTemplateRevisionInline(admin.TabularInline):
    model = DocumentTemplateRevision
    fields = ["number", "note", "uses_default", "created_at", "created_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "revision", "uses_default", "updated_at", "updated_by"]
    fields = ["code", "revision", "uses_default", "updated_at", "updated_by", "body"]
    readonly_fields = fields
    inlines = [DocumentTemplateRevisionInline]
    actions = ["reset_to_default"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_l("Volver a la plantilla de serie"), permissions=["change"])
    def reset_to_default(self, request, queryset):
        for template in queryset:
            document_template_reset(actor=request.user, code=template.code)
        messages.success(request, _("Las plantillas elegidas vuelven a la de serie."))
