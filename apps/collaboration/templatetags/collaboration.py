"""{% collaboration_panel object %}: presence, comments and the shared note of a record page."""
from django import template

from apps.collaboration.records import is_collaborative, key_of
from apps.notifications.realtime import can_view_record

register = template.Library()


@register.inclusion_tag("collaboration/_panel.html", takes_context=True)
def collaboration_panel(context, obj):
    request = context.get("request")
    user = getattr(request, "user", None)
    key = key_of(obj) if obj is not None and is_collaborative(obj) else None
    allowed = bool(key and user is not None and can_view_record(user, key))
    return {"request": request, "user": user, "record_key": key if allowed else None, "record": obj,
            "csrf_token": context.get("csrf_token")}
