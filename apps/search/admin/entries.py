"""Admin: the search index, read-only (entries are written by the indexing, never by hand), with an action
that rebuilds the index of the selected entries' kinds."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.errors import DomainError
from apps.search.models import SearchEntry
from apps.search.services.indexing import search_reindex


@admin.register(SearchEntry)
class SearchEntryAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "title", "subtitle", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title", "subtitle"]
    readonly_fields = ["kind", "object_id", "title", "subtitle", "body", "url", "updated_at"]
    exclude = ["search_vector"]
    actions = ["reindex"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_l("Reconstruir el índice de los tipos seleccionados"))
    def reindex(self, request, queryset):
        kinds = sorted(set(queryset.values_list("kind", flat=True)))
        try:
            counts = search_reindex(kinds=kinds, actor=request.user)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, _("Índice reconstruido: %s.") % ", ".join(
            f"{kind} {count}" for kind, count in counts.items()), messages.SUCCESS)
