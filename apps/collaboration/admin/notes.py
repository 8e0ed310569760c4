"""Admin: shared notes read-only (their plain text, how many changes were saved, who changed them last).
Notes are written only on the record pages, where several people edit them at once (/ws/notes/)."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _l

from apps.collaboration.models import SharedNote


@admin.register(SharedNote)
class SharedNoteAdmin(admin.ModelAdmin):
    list_display = ["record_key", "excerpt", "updates", "updated_at", "updated_by"]
    list_filter = ["content_type"]
    search_fields = ["text", "updated_by__email"]
    list_select_related = ["content_type", "updated_by"]
    date_hierarchy = "updated_at"
    fields = ["content_type", "object_id", "text", "updates", "state_size", "updated_at", "updated_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("state")

    @admin.display(description=_l("registro"))
    def record_key(self, note):
        return f"{note.content_type.app_label}.{note.content_type.model}.{note.object_id}"

    @admin.display(description=_l("texto"))
    def excerpt(self, note):
        return note.text[:80]

    @admin.display(description=_l("tamaño del documento (bytes)"))
    def state_size(self, note):
        return len(note.state or b"")
