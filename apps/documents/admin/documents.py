"""Admin: categories (retention, expiry reminders, the records they apply to) and the upload settings are
configuration, edited here; documents are read-only (uploaded on the record pages or through the API, both
through services.documents) with their versions inline and no stored path shown. Legal hold is the one field
changed here; the delete action is the service's soft deletion (audited)."""
from django.contrib import admin, messages
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.admin import OneRowPerBrokerageAdmin
from apps.core.errors import DomainError
from apps.documents.models import Document, DocumentCategory, DocumentSettings, DocumentVersion
from apps.documents.services.documents import document_delete


@admin.register(DocumentCategory)
class DocumentCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "retention_years", "expiry_reminder_days", "record_kinds", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(OneRowPerBrokerageAdmin):
    list_display = ["__str__", "max_upload_mb", "allowed_types"]

    def save_model(self, request, obj, form, change):
        obj.pk = 1  # one row per brokerage
        super().save_model(request, obj, form, change)


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = ["number", "original_name", "size_display", "mime_type", "sha256", "created_at", "created_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_l("tamaño"))
    def size_display(self, obj):
        return filesizeformat(obj.size)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "content_type", "object_id", "category", "expires_on", "legal_hold", "deleted_at",
                    "created_at", "created_by"]
    list_filter = ["category", "content_type", "legal_hold", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["title"]
    list_select_related = ["category", "content_type", "created_by"]
    date_hierarchy = "created_at"
    fields = ["title", "content_type", "object_id", "category", "expires_on", "legal_hold", "current_version",
              "created_at", "created_by", "deleted_at", "deleted_by"]
    readonly_fields = [name for name in fields if name != "legal_hold"]
    inlines = [DocumentVersionInline]
    actions = ["remove"]

    def get_queryset(self, request):
        return Document.all_objects.select_related(*self.list_select_related)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_l("Eliminar los documentos elegidos"), permissions=["change"])
    def remove(self, request, queryset):
        count = 0
        for document in queryset.filter(deleted_at__isnull=True):
            try:
                document_delete(actor=request.user, document=document)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{document}: {exc.message}", messages.WARNING)
        self.message_user(request, _("Documentos eliminados: %d.") % count)
