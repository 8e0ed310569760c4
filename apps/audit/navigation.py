from django.utils.translation import gettext_lazy as _

from aitcore.registry import MenuEntry, registry
from apps.audit.api.views import AuditEventViewSet
from apps.audit.filtersets import AuditEventFilterSet
from apps.audit.models import AuditEvent
from apps.core.resources import Resource

events = Resource(
    model=AuditEvent, section=_("Sistemas"), icon="bi-shield-check",
    list_fields=["timestamp", "actor_label", "action", "verb_label", "content_type", "object_id", "object_repr", "ip"],
    detail_fields=["timestamp", "actor_label", "action", "verb", "content_type", "object_id", "object_repr", "changes",
                   "request_id", "ip", "user_agent", "prev_hash", "hash"],
    search_fields=["actor_label", "object_repr", "verb", "request_id"],
    filterset_class=AuditEventFilterSet, select_related=("content_type",), default_ordering=("-id",),
    can_create=False, can_edit=False, can_delete=False, menu_order=40,
)
registry.register_resource(events)
# The menu opens the audit viewer (apps/audit/views.py: filters, export, chain verification), not the bare list.
if events.menu_entry() in registry.menu:
    registry.menu.remove(events.menu_entry())
registry.register_menu(MenuEntry(_("Sistemas"), _("Auditoría"), "audit:events", "bi-shield-check",
                                 "audit.view_auditevent", 40, also_active=(events.url_name("list"),
                                                                           events.url_name("detail"))))
registry.register_api("audit-events", AuditEventViewSet, "audit-event")
