"""{% documents_panel object %}: the «Documentos» panel of a record page (apps.documents.panels).

Only for the record's own detail page, whose view has already checked that the user may view `object`: the
tag applies the kind's narrower rule (an employee's record: HR only) and renders the panel's frame, with no
query; its body (documents, upload form) is loaded after the page from the panel view, which checks
everything again, as does every upload, download and deletion."""
from django import template

from apps.documents.access import record_key_of
from apps.documents.panels import panel_frame

register = template.Library()


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def documents_panel(context, obj):
    request = context.get("request")
    user = getattr(request, "user", None)
    panel = None
    if obj is not None and user is not None:
        panel = panel_frame(user, record_key_of(obj), next_url=request.get_full_path())
    return {"request": request, "panel": panel, "csrf_token": context.get("csrf_token")}


@register.filter
def days_until(day, today):
    """Days from `today` to `day` (negative once past), for the expiry badge."""
    return (day - today).days if day and today else None
