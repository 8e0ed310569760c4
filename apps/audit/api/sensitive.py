"""Serializer mixin for models with sensitive fields (apps/audit/sensitive.py).

Reads: masked values unless the request asks ?reveal=1 and the user holds the category's permission;
each revealed record leaves an audit event. Writes: a value sent back exactly as the masked form
(a client that read, changed something else and saved) keeps the stored value.
"""
from apps.audit.sensitive import can_view, mask, spec_for, unmask_health
from apps.audit.services.sensitive import sensitive_reveal


def _wants_reveal(request) -> bool:
    params = getattr(request, "query_params", None) or getattr(request, "GET", {})
    return str(params.get("reveal", "")).lower() in {"1", "true", "si", "sí"}


def _blank(value) -> bool:
    return value in (None, "", [], {})


class SensitiveFieldsMixin:
    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        for name in list(data):
            spec = spec_for(instance, name)
            if spec is None or _blank(data[name]):
                continue
            if request is not None and _wants_reveal(request) and can_view(request.user, spec.category):
                sensitive_reveal(actor=request.user, obj=instance, field=name, channel="api")
                continue
            data[name] = mask(spec, data[name])
        return data

    def _stored(self, data):
        instance = self.instance if getattr(self.instance, "_meta", None) is not None else None
        if instance is None and isinstance(data, dict) and data.get("id"):
            model = self.Meta.model
            try:
                instance = model._default_manager.filter(pk=int(data["id"])).first()
            except (TypeError, ValueError):
                instance = None
        return instance

    def to_internal_value(self, data):
        if hasattr(data, "items"):
            instance = self._stored(data)
            if instance is not None:
                data = data.copy() if hasattr(data, "copy") else dict(data)
                for name, value in list(data.items()):
                    spec = spec_for(instance, name)
                    if spec is None:
                        continue
                    stored = getattr(instance, name)
                    if spec.kind == "health":
                        data[name] = unmask_health(value, stored)
                    elif not _blank(stored) and value == mask(spec, stored):
                        data[name] = stored
        return super().to_internal_value(data)
