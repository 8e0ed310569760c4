"""{% collaboration_panel object %}: presence, comments and the shared note of a record page.

Only for the record's own detail page, whose view has already checked that the user may view `object`:
the tag applies just the kind's narrower collaboration rule (the sockets and endpoints check everything)."""
from django import template

from apps.collaboration.records import is_collaborative, key_of, passes_narrower_rule

register = template.Library()


@register.inclusion_tag("collaboration/_panel.html", takes_context=True)
def collaboration_panel(context, obj):
    request = context.get("request")
    user = getattr(request, "user", None)
    key = key_of(obj) if obj is not None and is_collaborative(obj) else None
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    allowed = bool(key and signed_in and passes_narrower_rule(user, key))
    return {"request": request, "user": user, "record_key": key if allowed else None, "record": obj,
            "collab_checked": allowed, "csrf_token": context.get("csrf_token")}
