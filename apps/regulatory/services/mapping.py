"""The brokerage's table from its lines to the DGSFP classification (DEC): defaults for every line,
editable one by one."""
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.regulatory.choices import DEFAULT_RAMO_BY_CLASS, DEFAULT_RAMO_BY_LINE, DecRamo
from apps.regulatory.errors import RegulatoryError
from apps.regulatory.models import DgsfpLineMapping


def default_ramo(line) -> str:
    return DEFAULT_RAMO_BY_LINE.get(line.code) or DEFAULT_RAMO_BY_CLASS.get(line.dgsfp_class, DecRamo.OTHER_MULTI)


@transaction.atomic
def mapping_defaults_ensure(*, actor=None) -> int:
    """A mapping row with its default for every line that has none; returns how many were made."""
    from apps.insurance.models import Line

    missing = list(Line.objects.filter(dgsfp_mapping__isnull=True).order_by("code"))
    user = actor if getattr(actor, "pk", None) else None
    made = DgsfpLineMapping.objects.bulk_create([DgsfpLineMapping(line=line, ramo=default_ramo(line), created_by=user,
                                                                  updated_by=user) for line in missing])
    if made:
        audit_event_record(actor=user, action=AuditAction.CREATE, verb="dgsfp_mapping_defaults",
                           changes={row.line.code: [None, row.ramo] for row in made})
    return len(made)


@transaction.atomic
def mapping_set(*, actor, line, ramo: str) -> DgsfpLineMapping:
    if ramo not in DecRamo.values:
        raise RegulatoryError(_("Ramo DGSFP no válido: %s.") % ramo, code="mapping_ramo_invalid", field="ramo")
    mapping = DgsfpLineMapping.objects.select_for_update().filter(line=line).first()
    before = mapping.ramo if mapping else None
    if mapping is None:
        mapping = DgsfpLineMapping(line=line, created_by=actor)
    mapping.ramo, mapping.updated_by = ramo, actor
    if mapping.pk:
        mapping.version += 1
    mapping.save()
    audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=mapping, changes={"ramo": [before, ramo]})
    return mapping


def ramo_by_line() -> dict[str, str]:
    """{line code: DGSFP ramo} for every line (mapped, else its default)."""
    from apps.insurance.models import Line

    mapped = dict(DgsfpLineMapping.objects.values_list("line__code", "ramo"))
    return {line.code: mapped.get(line.code) or default_ramo(line) for line in Line.objects.all()}
