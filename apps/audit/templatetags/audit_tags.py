"""{% sensitive_field obj "iban" %}: the masked value and, for who may see it, a «Mostrar» button (audited);
{% audit_history_url obj as url %}: the audit viewer filtered to one record; |mask_iban, |mask_ss_number."""
from urllib.parse import urlencode

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apps.audit import sensitive as rules

register = template.Library()


@register.filter
def mask_iban(value) -> str:
    return rules.mask_iban(value)


@register.filter
def mask_ss_number(value) -> str:
    return rules.mask_ss_number(value)


@register.inclusion_tag("audit/_sensitive.html", takes_context=True)
def sensitive_field(context, obj, field: str, empty: str = "—"):
    spec = rules.spec_for(obj, field) if obj is not None else None
    value = getattr(obj, field, None) if spec else None
    request = context.get("request")
    user = getattr(request, "user", None)
    blank = value in (None, "", [], {}) or (spec is not None and spec.kind == "health"
                                            and not rules.health_values(value))
    can = bool(spec and not blank and rules.can_view(user, spec.category))
    url = reverse("audit:sensitive-reveal", args=[rules.model_key(obj), obj.pk, field]) if can else ""
    masked = "" if blank or spec is None else (rules.HEALTH_MASK if spec.kind == "health" else rules.mask(spec, value))
    return {"masked": masked, "empty": empty, "blank": blank, "can_reveal": can, "url": url,
            "label": spec.label if spec else field, "kind": spec.kind if spec else ""}


@register.simple_tag(takes_context=True)
def audit_history_url(context, obj) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or getattr(obj, "pk", None) is None or not hasattr(obj, "_meta") or user is None \
            or not user.has_perm("audit.view_auditevent"):
        return ""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return reverse("audit:events") + "?" + urlencode({"content_type": content_type.pk, "object_id": obj.pk})
