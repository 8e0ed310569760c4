"""For the «Generar PDF» button (templates/documents/generation/_button.html): {{ record|record_label }} is
"<app_label>.<model>", and {% if record|can_attach:user %} whether the user may change the record, which is
what attaching a document to it takes (the service checks the rest)."""
from django import template

register = template.Library()


@register.filter
def record_label(record) -> str:
    return f"{record._meta.app_label}.{record._meta.model_name}"


@register.filter
def can_attach(record, user) -> bool:
    return bool(user) and user.has_perm(f"{record._meta.app_label}.change_{record._meta.model_name}")
