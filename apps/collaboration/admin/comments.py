"""Admin: comments read-only, with their earlier versions inline (the deleted ones too: their texts stay here
for the operations team). Comments are written, edited and deleted on the record pages; the one action here
deletes through the service (soft, audited, announced)."""
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.collaboration.models import Comment, CommentRevision
from apps.collaboration.services.comments import comment_delete, comment_key
from apps.core.errors import DomainError


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CommentRevisionInline(_ReadOnly, admin.TabularInline):
    model = CommentRevision
    fields = ["replaced_at", "body"]
    readonly_fields = fields
    extra = 0
    ordering = ["-replaced_at", "-id"]


@admin.register(Comment)
class CommentAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["created_at", "record_key", "author", "excerpt", "is_reply", "revisions_shown", "edited_at",
                    "deleted_at"]
    list_filter = ["content_type", ("deleted_at", admin.EmptyFieldListFilter),
                   ("edited_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "author__email", "author__last_name"]
    list_select_related = ["author", "content_type"]
    date_hierarchy = "created_at"
    fields = ["content_type", "object_id", "parent", "author", "body", "mentions", "created_at", "edited_at",
              "deleted_at"]
    readonly_fields = fields
    inlines = [CommentRevisionInline]
    actions = ["delete_softly"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(revisions_total=Count("revisions"))

    @admin.display(description=_l("registro"))
    def record_key(self, comment):
        return comment_key(comment)

    @admin.display(description=_l("comentario"))
    def excerpt(self, comment):
        return _("(eliminado)") if comment.deleted_at else comment.body[:80]

    @admin.display(description=_l("respuesta"), boolean=True)
    def is_reply(self, comment):
        return comment.parent_id is not None

    @admin.display(description=_l("versiones anteriores"), ordering="revisions_total")
    def revisions_shown(self, comment):
        return comment.revisions_total

    @admin.action(description=_l("Eliminar los comentarios seleccionados (se borra el texto)"))
    def delete_softly(self, request, queryset):
        done = 0
        for comment in queryset.filter(deleted_at__isnull=True).select_related("content_type"):
            try:
                comment_delete(actor=request.user, comment=comment)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{comment.pk}: {exc.message}", messages.ERROR)
        self.message_user(request, _("Comentarios eliminados: %d.") % done)
