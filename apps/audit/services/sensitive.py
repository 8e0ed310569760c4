"""Revealing a sensitive value: checked against the user's permissions and always audited."""
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.sensitive import can_view, spec_for
from apps.audit.services.chain import audit_event_record, audit_events_record
from apps.core.errors import DomainError, PermissionDeniedError


def _check(actor, obj, field: str):
    spec = spec_for(obj, field)
    if spec is None:
        raise DomainError(_("«%s» no es un dato protegido de este registro.") % field, code="audit_not_sensitive",
                          status=404)
    if not can_view(actor, spec.category):
        raise PermissionDeniedError(_("No tiene permiso para ver este dato sin enmascarar."),
                                    code="audit_sensitive_forbidden")
    return spec


def _changes(spec, channel: str) -> dict:
    return {"campo": f"{spec.model}.{spec.field}", "canal": channel}


@transaction.atomic
def sensitive_reveal(*, actor, obj, field: str, channel: str = "web"):
    """The clear value of `obj.field` for `actor`; writes «revealed sensitive field X of record Y»."""
    spec = _check(actor, obj, field)
    audit_event_record(actor=actor, action=AuditAction.ACTION, obj=obj, verb="sensitive_reveal",
                       changes=_changes(spec, channel))
    return getattr(obj, field)


@transaction.atomic
def sensitive_reveal_many(*, actor, items: list, channel: str = "api") -> None:
    """Audits the reveal of several (obj, field) pairs at once (API lists with ?reveal=1)."""
    checked = [(obj, _changes(_check(actor, obj, field), channel)) for obj, field in items]
    audit_events_record(actor=actor, action=AuditAction.ACTION, items=checked, verb="sensitive_reveal")
