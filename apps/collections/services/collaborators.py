"""Collaborators (auxiliares externos, co-brokers, referrers) and their shares of a policy's
commission. A policy's shares add up to at most 100 % of the broker's commission: share_set
refuses anything above. The commission ledger (services/commissions.py) reads the shares when it
writes each movement, so a share changed today applies to the movements written from today on;
earlier rows are never recomputed."""
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.collections.models import Collaborator, CommissionShare
from apps.core.errors import DomainError
from apps.core.events import publish
from apps.core.services.records import record_create, record_update
from apps.insurance.models import Policy

HUNDRED = Decimal("100")
COLLABORATOR_FIELDS = ("party", "kind", "code", "default_share_pct", "withholding_pct", "dgsfp_code", "iban",
                       "is_active", "notes")


class CollaboratorError(DomainError):
    code = "collaborator_error"


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _pct(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _check_data(data: dict, instance: Collaborator | None = None) -> dict:
    unknown = set(data) - set(COLLABORATOR_FIELDS)
    if unknown:
        raise CollaboratorError(_("Campos desconocidos: %s.") % ", ".join(sorted(unknown)), code="collaborator_fields")
    code = (data.get("code") or "").strip().upper() if "code" in data else None
    if code is not None:
        if not code:
            raise CollaboratorError(_("Indique el código del colaborador."), code="collaborator_code", field="code")
        taken = Collaborator.objects.filter(code=code)
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            raise CollaboratorError(_("Ya existe un colaborador con el código %s.") % code,
                                    code="collaborator_code_taken", field="code")
        data = {**data, "code": code}
    party = data.get("party")
    if party is not None:
        taken = Collaborator.objects.filter(party=party)
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            raise CollaboratorError(_("%s ya es colaborador.") % party, code="collaborator_party_taken",
                                    field="party")
    for name in ("default_share_pct", "withholding_pct"):
        if data.get(name) is not None and not Decimal("0") <= _pct(data[name]) <= HUNDRED:
            raise CollaboratorError(_("El porcentaje debe estar entre 0 y 100."), code="collaborator_pct", field=name)
    return data


@transaction.atomic
def collaborator_create(*, actor, data: dict) -> Collaborator:
    """A new collaborator for an existing party (ficha de tercero); code unique, kept upper-case."""
    data = _check_data(dict(data))
    if "party" not in data or data["party"] is None:
        raise CollaboratorError(_("Elija la ficha del colaborador."), code="collaborator_party", field="party")
    return record_create(actor=_actor(actor), model=Collaborator, data=data)


@transaction.atomic
def collaborator_update(*, actor, collaborator: Collaborator, data: dict,
                        expected_version: int | None = None) -> Collaborator:
    data = _check_data(dict(data), collaborator)
    return record_update(actor=_actor(actor), instance=collaborator, data=data, expected_version=expected_version)


def shares_total(policy, *, exclude: Collaborator | None = None) -> Decimal:
    shares = CommissionShare.objects.filter(policy=policy)
    if exclude is not None:
        shares = shares.exclude(collaborator=exclude)
    return shares.aggregate(total=Sum("share_pct"))["total"] or Decimal("0")


@transaction.atomic
def share_set(*, actor, policy, collaborator: Collaborator, pct) -> CommissionShare:
    """Creates or changes the collaborator's share of the policy's commission (0 < pct <= 100);
    refused when the policy's shares would add up to more than 100 %."""
    policy = Policy.objects.select_for_update(of=("self",)).get(pk=getattr(policy, "pk", policy))
    pct = _pct(pct)
    if not Decimal("0") < pct <= HUNDRED:
        raise CollaboratorError(_("El porcentaje de participación debe ser mayor que 0 y como mucho 100."),
                                code="share_pct_range", field="share_pct")
    if not collaborator.is_active:
        raise CollaboratorError(_("El colaborador %s está de baja.") % collaborator.code, code="collaborator_inactive",
                                field="collaborator", status=409)
    others = shares_total(policy, exclude=collaborator)
    if others + pct > HUNDRED:
        raise CollaboratorError(
            _("Las participaciones de la póliza %(number)s sumarían %(total)s %% (más del 100 %% de la comisión); "
              "ya hay %(others)s %% repartido.") % {"number": policy.number, "total": others + pct, "others": others},
            code="share_total_exceeded", field="share_pct", status=409)
    share = CommissionShare.objects.filter(policy=policy, collaborator=collaborator).select_for_update().first()
    before = share.share_pct if share else None
    if share is None:
        share = CommissionShare.objects.create(policy=policy, collaborator=collaborator, share_pct=pct,
                                               created_by=_actor(actor), updated_by=_actor(actor))
    elif share.share_pct != pct:
        share.share_pct, share.updated_by, share.version = pct, _actor(actor), share.version + 1
        share.save(update_fields=["share_pct", "updated_by", "version", "updated_at"])
    if before != pct:
        audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="share_set", obj=policy,
                           changes={"colaborador": [None, collaborator.code],
                                    "participacion": [str(before) if before is not None else None, str(pct)]})
        publish("collections.share.set", pk=share.pk, policy=policy.pk, collaborator=collaborator.pk, pct=str(pct))
    return share


@transaction.atomic
def share_remove(*, actor, policy, collaborator: Collaborator) -> None:
    """Takes the collaborator out of the policy's commission from now on (past rows stay)."""
    share = CommissionShare.objects.filter(policy=policy, collaborator=collaborator).select_for_update().first()
    if share is None:
        raise CollaboratorError(_("El colaborador %s no participa en esta póliza.") % collaborator.code,
                                code="share_not_found", field="collaborator", status=404)
    pk, pct = share.pk, share.share_pct
    share.delete()
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="share_remove", obj=policy,
                       changes={"colaborador": [collaborator.code, None], "participacion": [str(pct), None]})
    publish("collections.share.removed", pk=pk, policy=policy.pk, collaborator=collaborator.pk)
