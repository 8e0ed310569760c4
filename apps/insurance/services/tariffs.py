"""Tariffs, versioned by date. Staff never overwrite history: they open a new dated version
(tariff_create_version copies the previous one's base figures and factor rows) and edit it.
A tariff already used by a quote may be edited only while its valid_from is in the future."""
import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.errors import DomainError
from apps.core.events import publish
from apps.core.services.records import record_create, record_update
from apps.insurance.lines import get_line
from apps.insurance.models import QuoteOption, Tariff, TariffFactor

TARIFF_FIELDS = ("base_premium", "minimum_premium", "parameters", "notes")
FACTOR_FIELDS = ("factor", "key", "band_from", "band_to", "value")


class TariffInUse(DomainError):
    status = 409
    code = "tariff_in_use"


def _factor_rows(tariff) -> list[dict]:
    return [{"factor": row.factor, "key": row.key, "band_from": row.band_from, "band_to": row.band_to,
             "value": row.value} for row in tariff.factors.order_by("factor", "band_from", "key", "pk")]


def _template_rows(product) -> tuple[dict, list[dict]]:
    try:
        template = get_line(product.line.code).tariff_template()
    except (KeyError, LookupError, AttributeError, TypeError):
        return {}, []
    base = {"base_premium": template.base_premium, "minimum_premium": template.minimum_premium,
            "parameters": dict(template.parameters)}
    rows = [{"factor": f, "key": k or "", "band_from": bf, "band_to": bt, "value": v}
            for f, k, bf, bt, v in template.factors]
    return base, rows


def _number(value, field: str, errors: dict, label: str):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [_("%(label)s debe ser un número.") % {"label": label}]
        return None


def clean_factors(factors: list[dict]) -> list[dict]:
    """Validated factor rows, errors keyed "factors-<n>-<field>": a category or a band
    (band_from < band_to), no overlapping bands nor repeated categories for the same factor,
    values > 0."""
    errors, cleaned = {}, []
    for index, row in enumerate(factors):
        prefix = f"factors-{index}-"
        for name in sorted(set(row) - set(FACTOR_FIELDS) - {"id"}):
            errors[prefix + name] = [_("Campo desconocido para un factor.")]
        factor = (row.get("factor") or "").strip()
        key = (row.get("key") or "").strip()
        band_from = _number(row.get("band_from"), prefix + "band_from", errors, _("«Desde»"))
        band_to = _number(row.get("band_to"), prefix + "band_to", errors, _("«Hasta»"))
        value = _number(row.get("value"), prefix + "value", errors, _("El valor"))
        if not factor:
            errors[prefix + "factor"] = [_("Indique el nombre del factor.")]
        if value is None and prefix + "value" not in errors:
            errors[prefix + "value"] = [_("Indique el valor del factor.")]
        elif value is not None and value <= 0:
            errors[prefix + "value"] = [_("El valor de un factor debe ser mayor que 0 (fila %(n)s: %(value)s).")
                                        % {"n": index + 1, "value": value}]
        if key and (band_from is not None or band_to is not None):
            errors[prefix + "key"] = [_("Una fila es una categoría o un tramo, no ambas cosas.")]
        elif not key and band_from is None and band_to is None:
            errors[prefix + "key"] = [_("Indique una categoría o un tramo (desde/hasta).")]
        elif band_from is not None and band_to is not None and band_from >= band_to:
            errors[prefix + "band_to"] = [_("El tramo %(f)s–%(t)s no es válido: «desde» debe ser menor que «hasta».")
                                          % {"f": band_from, "t": band_to}]
        cleaned.append({"factor": factor, "key": key, "band_from": band_from, "band_to": band_to, "value": value})
    if not errors:
        _check_overlaps(cleaned, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_overlaps(rows: list[dict], errors: dict) -> None:
    low, high = Decimal("-Infinity"), Decimal("Infinity")
    seen_keys, bands = {}, {}
    for index, row in enumerate(rows):
        if row["key"]:
            ident = (row["factor"], row["key"])
            if ident in seen_keys:
                errors[f"factors-{index}-key"] = [_("La categoría «%(key)s» del factor «%(factor)s» está repetida.")
                                                  % {"key": row["key"], "factor": row["factor"]}]
            seen_keys[ident] = index
        else:
            bands.setdefault(row["factor"], []).append((index, row))
    for factor, items in bands.items():
        items.sort(key=lambda item: item[1]["band_from"] if item[1]["band_from"] is not None else low)
        for (_i, previous), (index, current) in zip(items, items[1:]):
            prev_to = previous["band_to"] if previous["band_to"] is not None else high
            cur_from = current["band_from"] if current["band_from"] is not None else low
            if cur_from < prev_to:
                errors[f"factors-{index}-band_from"] = [_(
                    "Los tramos del factor «%(factor)s» se solapan: %(a)s y %(b)s."
                ) % {"factor": factor, "a": _band_text(previous), "b": _band_text(current)}]


def _band_text(row) -> str:
    start = "" if row["band_from"] is None else f"{row['band_from']}"
    end = "" if row["band_to"] is None else f"{row['band_to']}"
    return f"[{start or '−∞'}, {end or '∞'})"


def _factors_snapshot(rows) -> list[str]:
    return [f"{r['factor']} {r['key'] or _band_text(r)} = {r['value']}" for r in rows]


def tariff_is_used(tariff) -> bool:
    return QuoteOption.objects.filter(tariff=tariff).exists()


def tariff_editable(tariff, today: datetime.date | None = None) -> tuple[bool, str]:
    """(True, "") or (False, why): a tariff used in quotes is edited only before its valid_from."""
    today = today or timezone.localdate()
    if tariff.valid_from > today or not tariff_is_used(tariff):
        return True, ""
    return False, _(
        "La tarifa en vigor desde el %(date)s ya se ha usado en proyectos y no se modifica: cree una versión nueva "
        "con la fecha desde la que aplican los cambios («Nueva versión»)."
    ) % {"date": tariff.valid_from.strftime("%d/%m/%Y")}


@transaction.atomic
def tariff_create_version(*, actor, product, valid_from: datetime.date, copy_from: Tariff | None = None) -> Tariff:
    """A new dated tariff for `product`. It starts as a copy of `copy_from` (default: the latest
    version before valid_from, else the product's latest, else the line's template tariff)."""
    if valid_from is None:
        raise ValidationError({"valid_from": _("Indique la fecha desde la que aplica la nueva tarifa.")})
    if Tariff.objects.filter(product=product, valid_from=valid_from).exists():
        raise ValidationError({"valid_from": _("%(product)s ya tiene una tarifa en vigor desde el %(date)s: edítela o "
                                               "elija otra fecha.") % {"product": product,
                                                                       "date": valid_from.strftime("%d/%m/%Y")}})
    if copy_from is not None and copy_from.product_id != product.pk:
        raise ValidationError({"copy_from": _("La tarifa de partida debe ser del mismo producto.")})
    if copy_from is None:
        versions = Tariff.objects.filter(product=product)
        copy_from = versions.filter(valid_from__lt=valid_from).order_by("-valid_from").first() or \
            versions.order_by("-valid_from").first()
    if copy_from is not None:
        base = {"base_premium": copy_from.base_premium, "minimum_premium": copy_from.minimum_premium,
                "parameters": dict(copy_from.parameters or {})}
        rows = _factor_rows(copy_from)
        base["notes"] = _("Copiada de la tarifa en vigor desde el %s.") % copy_from.valid_from.strftime("%d/%m/%Y")
    else:
        base, rows = _template_rows(product)
    tariff = record_create(actor=actor, model=Tariff, data={"product": product, "valid_from": valid_from, **base})
    TariffFactor.objects.bulk_create([TariffFactor(tariff=tariff, **row) for row in rows])
    return tariff


@transaction.atomic
def tariff_update(*, actor, tariff: Tariff, data: dict | None = None, factors: list[dict] | None = None,
                  expected_version: int | None = None, today: datetime.date | None = None) -> Tariff:
    """Base and minimum premium, parameters, notes (`data`) and, when given, the whole factor
    table (`factors`). Refused (TariffInUse, 409) for a tariff used in quotes whose valid_from
    is today or earlier."""
    tariff = Tariff.objects.select_for_update().get(pk=tariff.pk)
    editable, why = tariff_editable(tariff, today)
    if not editable:
        raise TariffInUse(why)
    data = dict(data or {})
    errors = {}
    for name in sorted(set(data) - set(TARIFF_FIELDS)):
        errors[name] = [_("Campo no editable en una tarifa (la fecha se cambia creando una versión nueva).")]
    for name, label in (("base_premium", _("La prima base")), ("minimum_premium", _("La prima mínima"))):
        if name in data:
            number = _number(data[name], name, errors, label)
            if number is None and name not in errors:
                errors[name] = [_("%(label)s es obligatoria.") % {"label": label}]
            elif number is not None and number < 0:
                errors[name] = [_("%(label)s no puede ser negativa.") % {"label": label}]
            data[name] = number
    if "parameters" in data:
        parameters = data["parameters"] or {}
        if not isinstance(parameters, dict):
            errors["parameters"] = [_("Los parámetros son pares nombre: valor.")]
        else:
            for name, value in parameters.items():
                try:
                    Decimal(str(value))
                except (InvalidOperation, ValueError):
                    errors["parameters"] = [_("El parámetro «%(name)s» debe ser un número (%(value)s).")
                                            % {"name": name, "value": value}]
            data["parameters"] = {str(k): str(v) for k, v in parameters.items()}
    cleaned = None
    if factors is not None:
        try:
            cleaned = clean_factors(factors)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    tariff = record_update(actor=actor, instance=tariff, data=data, expected_version=expected_version)
    if cleaned is not None:
        before = _factors_snapshot(_factor_rows(tariff))
        tariff.factors.all().delete()
        TariffFactor.objects.bulk_create([TariffFactor(tariff=tariff, **row) for row in cleaned])
        after = _factors_snapshot(_factor_rows(tariff))
        if before != after:
            audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=tariff,
                               changes={"factores": [before, after]})
            publish("insurance.tariff.updated", pk=tariff.pk, fields=["factors"])
    return tariff
