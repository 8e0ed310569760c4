"""Leads and the opportunity pipeline: every state change of a lead or an opportunity.

Positions: each stage is one column ordered by `position` (0, 1, 2… without gaps). A move
takes the position as the actor sees the column (a Comercial sees only its own cards) and
renumbers the source and target columns compactly. Closed columns (won/lost) are not
ordered by hand: their cards keep position 0 and are shown by closing date.
"""
import re
from dataclasses import dataclass
from decimal import InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.errors import DomainError
from apps.core.money import to_money
from apps.core.permissions import visible_to
from apps.core.services.records import record_create, record_update
from apps.crm.choices import (
    OPEN_STAGES, ContactKind, LeadSource, LeadStatus, OpportunityStage, PartyKind, PartyStatus,
)
from apps.crm.models import ContactPoint, Lead, Opportunity, Party
from apps.notifications.services.notifications import notify_assignment

CLOSED_STAGES = (OpportunityStage.WON, OpportunityStage.LOST)
# Probability an opportunity gets when it is reopened (moved from won/lost back to an open stage).
REOPEN_PROBABILITY = {
    OpportunityStage.NEW: 10, OpportunityStage.QUALIFIED: 25, OpportunityStage.PROPOSAL: 50,
    OpportunityStage.NEGOTIATION: 75,
}
COLUMN_ORDER = ("position", "-created_at", "-pk")

LEAD_FIELDS = ("name", "company", "email", "phone", "source", "campaign", "status", "owner", "notes")
OPPORTUNITY_FIELDS = ("party", "lead", "title", "line_of_business", "expected_premium", "probability", "close_date",
                      "owner")


# --- Normalisation (what duplicate detection compares) --------------------------------------

def normalize_email(value: str) -> str:
    return (value or "").strip().lower()


def normalize_phone(value: str) -> str:
    """'612 34 56 78', '+34 612345678', '0034612345678' -> '34612345678'."""
    raw = (value or "").strip()
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("00"):
        digits = digits[2:]
    elif not raw.startswith("+") and len(digits) == 9:
        digits = "34" + digits
    return digits


def _split_name(name: str) -> tuple[str, str, str]:
    """'Ana Ruiz García' -> ('Ana', 'Ruiz', 'García'); 'María José Ruiz García' -> ('María José', 'Ruiz', 'García')."""
    parts = name.split()
    if len(parts) <= 1:
        return name.strip(), "", ""
    if len(parts) == 2:
        return parts[0], parts[1], ""
    return " ".join(parts[:-2]), parts[-2], parts[-1]


# --- Leads ----------------------------------------------------------------------------------

def _clean_lead_data(data: dict, *, current: Lead | None = None) -> dict:
    data = {key: value for key, value in data.items() if key in LEAD_FIELDS}
    errors = {}
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
    if "email" in data:
        data["email"] = normalize_email(data["email"])
    if "phone" in data:
        data["phone"] = (data["phone"] or "").strip()
        if data["phone"] and len(normalize_phone(data["phone"])) < 9:
            errors["phone"] = [_("El teléfono debe tener al menos 9 cifras.")]
    merged = {
        name: data[name] if name in data else (getattr(current, name) if current else None)
        for name in ("email", "phone", "source", "campaign", "status")
    }
    if not merged["email"] and not merged["phone"]:
        errors["email"] = [_("Indique un correo electrónico o un teléfono para poder contactar.")]
    if merged["source"] == LeadSource.CAMPAIGN and not merged["campaign"]:
        errors["campaign"] = [_("Indique la campaña de la que procede el contacto.")]
    was_converted = current is not None and current.status == LeadStatus.CONVERTED
    if "status" in data:
        if data["status"] == LeadStatus.CONVERTED and not was_converted:
            errors["status"] = [_("Un contacto se marca como convertido al convertirlo en cliente, no a mano.")]
        elif was_converted and data["status"] != LeadStatus.CONVERTED:
            errors["status"] = [_("Este contacto ya se convirtió en cliente; su estado no se puede cambiar.")]
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def lead_create(*, actor, data: dict) -> Lead:
    data = _clean_lead_data(data)
    data.setdefault("status", LeadStatus.NEW)
    if "owner" not in data and getattr(actor, "pk", None):
        data["owner"] = actor
    lead = record_create(actor=actor, model=Lead, data=data)
    _notify_owner(actor, lead)
    return lead


@transaction.atomic
def lead_update(*, actor, lead: Lead, data: dict, expected_version: int | None = None) -> Lead:
    data = _clean_lead_data(data, current=lead)
    reassigned = _reassigned(data, lead)
    lead = record_update(actor=actor, instance=lead, data=data, expected_version=expected_version)
    if reassigned:
        _notify_owner(actor, lead)
    return lead


def _reassigned(data: dict, record) -> bool:
    owner = getattr(data.get("owner"), "pk", data.get("owner"))
    return owner is not None and owner != record.owner_id


def _notify_owner(actor, record) -> None:
    """Tells the new owner of a lead or an opportunity (not when they assigned it to themselves)."""
    if isinstance(record, Lead):
        title = _("Se le ha asignado un contacto comercial: %(name)s") % {"name": record}
        url = reverse("crm:lead-update", args=[record.pk])
    else:
        title = _("Se le ha asignado una oportunidad: %(name)s") % {"name": record}
        url = reverse("crm:opportunity-update", args=[record.pk])
    notify_assignment(actor=actor, assignee=record.owner, title=title, url=url)


@dataclass
class LeadConversion:
    lead: Lead
    party: Party
    opportunity: Opportunity
    party_created: bool


def _party_from_lead(*, actor, lead: Lead) -> Party:
    first, last, second = _split_name(lead.name)
    manager = lead.owner or (actor if getattr(actor, "pk", None) else None)
    party = record_create(actor=actor, model=Party, data={
        "kind": PartyKind.PERSON, "status": PartyStatus.PROSPECT, "display_name": lead.name,
        "first_name": first, "last_name": last, "second_last_name": second, "account_manager": manager,
        "notes": _("Alta desde el contacto comercial «%(name)s».") % {"name": lead.name},
    })
    contacts = []
    if lead.email:
        contacts.append((ContactKind.EMAIL, lead.email, normalize_email(lead.email)))
    if lead.phone:
        contacts.append((ContactKind.PHONE, lead.phone, normalize_phone(lead.phone)))
    for kind, value, normalized in contacts:
        record_create(actor=actor, model=ContactPoint, data={
            "party": party, "kind": kind, "value": value, "normalized": normalized, "is_primary": True,
        })
    return party


@transaction.atomic
def lead_convert(*, actor, lead: Lead, party: Party | None = None, opportunity_data: dict) -> LeadConversion:
    """Creates (or links) the party and opens an opportunity; a lead converts only once."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.status == LeadStatus.CONVERTED or lead.converted_party_id:
        raise DomainError(
            _("Este contacto comercial ya se convirtió en cliente (%(party)s); no se puede convertir dos veces.")
            % {"party": lead.converted_party or "—"},
            code="lead_already_converted", status=409,
        )
    if party is not None and party.anonymised_at:
        raise ValidationError({"party": [_("Ese cliente está anonimizado; elija otro o cree uno nuevo.")]})
    created = party is None
    if created:
        party = _party_from_lead(actor=actor, lead=lead)
    data = dict(opportunity_data)
    data["party"] = party
    data["lead"] = lead
    data.setdefault("owner", lead.owner or actor)
    if not data.get("title"):
        data["title"] = lead.company or lead.name
    opportunity = opportunity_create(actor=actor, data=data)
    lead = record_update(actor=actor, instance=lead, data={"status": LeadStatus.CONVERTED, "converted_party": party})
    return LeadConversion(lead=lead, party=party, opportunity=opportunity, party_created=created)


# --- Opportunities --------------------------------------------------------------------------

def _clean_opportunity_data(data: dict) -> dict:
    data = {key: value for key, value in data.items() if key in OPPORTUNITY_FIELDS}
    errors = {}
    if "expected_premium" in data:
        value = data["expected_premium"]
        try:
            value = to_money(value if value not in (None, "") else "0")
        except (InvalidOperation, TypeError, ValueError):
            errors["expected_premium"] = [_("Escriba la prima prevista como un importe en euros, p. ej. 1234,56.")]
        else:
            if value < 0:
                errors["expected_premium"] = [_("La prima prevista no puede ser negativa.")]
            data["expected_premium"] = value
    if data.get("probability") is not None:
        try:
            data["probability"] = int(data["probability"])
        except (TypeError, ValueError):
            data["probability"] = -1
        if not 0 <= data["probability"] <= 100:
            errors["probability"] = [_("La probabilidad es un porcentaje entre 0 y 100.")]
    if "title" in data:
        data["title"] = (data["title"] or "").strip()
    party = data.get("party")
    if party is not None and getattr(party, "anonymised_at", None):
        errors["party"] = [_("Ese cliente está anonimizado; no se le pueden abrir oportunidades.")]
    if errors:
        raise ValidationError(errors)
    return data


def _column_ids(stage: str, *, exclude_pk: int | None = None, queryset=None) -> list[int]:
    qs = (queryset if queryset is not None else Opportunity.objects.all()).filter(stage=stage)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.order_by(*COLUMN_ORDER).values_list("pk", flat=True))


def _renumber(ids: list[int]) -> None:
    """Positions 0..n-1 in this order, in one UPDATE (only rows whose position changes)."""
    if not ids:
        return
    current = dict(Opportunity.objects.filter(pk__in=ids).values_list("pk", "position"))
    changed = [(pk, index) for index, pk in enumerate(ids) if current.get(pk) != index]
    if changed:
        Opportunity.objects.filter(pk__in=[pk for pk, _index in changed]).update(
            position=Case(*[When(pk=pk, then=Value(index)) for pk, index in changed])
        )


def _lock_columns(*stages) -> None:
    """Serialises concurrent moves touching the same columns."""
    list(Opportunity.objects.select_for_update().filter(stage__in=set(stages)).order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def opportunity_create(*, actor, data: dict) -> Opportunity:
    data = _clean_opportunity_data(data)
    if "owner" not in data and getattr(actor, "pk", None):
        data["owner"] = actor
    stage = OpportunityStage.NEW
    _lock_columns(stage)
    data["stage"] = stage
    data["position"] = len(_column_ids(stage))  # new cards go to the end of the "Nueva" column
    opportunity = record_create(actor=actor, model=Opportunity, data=data)
    _notify_owner(actor, opportunity)
    return opportunity


@transaction.atomic
def opportunity_update(*, actor, opportunity: Opportunity, data: dict, expected_version: int | None = None) -> Opportunity:
    """Edits the data of an opportunity; stage changes go through opportunity_move / opportunity_close."""
    data = _clean_opportunity_data(data)
    data.pop("lead", None)
    if opportunity.stage in CLOSED_STAGES and "probability" in data:
        data["probability"] = 100 if opportunity.stage == OpportunityStage.WON else 0
    reassigned = _reassigned(data, opportunity)
    opportunity = record_update(actor=actor, instance=opportunity, data=data, expected_version=expected_version)
    if reassigned:
        _notify_owner(actor, opportunity)
    return opportunity


@transaction.atomic
def opportunity_move(*, actor, opportunity: Opportunity, stage: str, position: int | None = None,
                     expected_version: int | None = None) -> Opportunity:
    """Moves a card to `stage` at `position` (index in the column as the actor sees it; None = end)."""
    if stage in CLOSED_STAGES:
        raise DomainError(
            _("Para marcar una oportunidad como ganada o perdida use «Cerrar» e indique el motivo."),
            code="close_required", field="stage",
        )
    if stage not in OPEN_STAGES:
        raise DomainError(_("La fase «%(stage)s» no existe.") % {"stage": stage}, code="invalid_stage", field="stage")
    try:
        position = None if position in (None, "") else max(0, int(position))
    except (TypeError, ValueError) as exc:
        raise DomainError(_("La posición debe ser un número entero."), code="invalid_position", field="position") from exc
    source = Opportunity.objects.get(pk=opportunity.pk).stage
    _lock_columns(source, stage)
    current = Opportunity.objects.get(pk=opportunity.pk)
    source = current.stage

    # Where the card goes, relative to the cards this actor sees in the target column.
    target_ids = _column_ids(stage, exclude_pk=current.pk)
    visible_ids = _column_ids(stage, exclude_pk=current.pk,
                              queryset=visible_to(Opportunity.objects.all(), actor, "owner"))
    if position is None or position >= len(visible_ids):
        index = target_ids.index(visible_ids[-1]) + 1 if visible_ids else len(target_ids)
    else:
        index = target_ids.index(visible_ids[position])
    target_ids.insert(index, current.pk)

    data = {"stage": stage, "position": index}
    if source in CLOSED_STAGES:  # reopening a closed opportunity
        data.update(closed_at=None, lost_reason="", probability=REOPEN_PROBABILITY[stage])
    if source == stage and _column_ids(stage) == target_ids:
        return current  # dropped where it already was
    updated = record_update(actor=actor, instance=current, data=data, expected_version=expected_version)
    _renumber(target_ids)
    if source != stage and source in OPEN_STAGES:
        _renumber(_column_ids(source))
    updated.refresh_from_db()
    return updated


@transaction.atomic
def opportunity_close(*, actor, opportunity: Opportunity, won: bool, reason: str = "",
                      expected_version: int | None = None) -> Opportunity:
    """Won (probability 100) or lost (probability 0, reason required); sets the closing time."""
    reason = (reason or "").strip()
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if current.stage in CLOSED_STAGES:
        raise DomainError(
            _("La oportunidad ya está cerrada como «%(stage)s». Para reabrirla muévala a una fase abierta.")
            % {"stage": current.get_stage_display()},
            code="already_closed",
        )
    if not won and not reason:
        raise ValidationError({"lost_reason": [_("Indique el motivo por el que se perdió la oportunidad.")]})
    if len(reason) > Opportunity._meta.get_field("lost_reason").max_length:
        raise ValidationError({"lost_reason": [_("El motivo no puede pasar de 200 caracteres.")]})
    source = current.stage
    _lock_columns(source)
    stage = OpportunityStage.WON if won else OpportunityStage.LOST
    updated = record_update(actor=actor, instance=current, expected_version=expected_version, data={
        "stage": stage, "position": 0, "closed_at": timezone.now(), "probability": 100 if won else 0,
        "lost_reason": "" if won else reason,
    })
    if won and reason:
        # There is no field for why a sale was won; the reason stays in the record's history.
        audit_event_record(actor=actor, action=AuditAction.ACTION, obj=updated, verb="opportunity_won",
                           changes={"motivo": [None, reason]})
    _renumber(_column_ids(source))
    return updated
