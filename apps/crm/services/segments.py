"""Saved segments: a set of filters over parties, validated when saved, applied when used.

Filters are stored as JSON, e.g. {"kind": ["person"], "province": ["46"], "tags": [3, 7],
"birth_date_from": "1960-01-01", "language": ["ca"]}. Each key is declared below with a
`clean` (checks and normalises what is saved) and an `apply` (narrows the queryset); another
domain adds its own key with `register_segment_filter` (insurance: "products").
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.services.records import record_create, record_update
from apps.crm.choices import Language, PartyKind, PartyStatus
from apps.crm.models import Address, Party, Segment, Tag
from apps.crm.provinces import Province


@dataclass(frozen=True)
class SegmentFilter:
    key: str
    label: str
    clean: Callable  # value -> normalised value (raise ValidationError with a message)
    apply: Callable  # (queryset, value) -> queryset


_FILTERS: dict[str, SegmentFilter] = {}


def register_segment_filter(segment_filter: SegmentFilter) -> None:
    _FILTERS[segment_filter.key] = segment_filter


def segment_filter_keys() -> list[str]:
    return list(_FILTERS)


def _as_list(value) -> list:
    if value in (None, "", [], ()):
        return []
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def _choices(choices, label):
    def clean(value):
        values = [str(v) for v in _as_list(value)]
        wrong = [v for v in values if v not in choices.values]
        if wrong:
            raise ValidationError(_("%(label)s: «%(wrong)s» no es un valor admitido (admitidos: %(ok)s).") % {
                "label": label, "wrong": ", ".join(wrong), "ok": ", ".join(choices.values)})
        return sorted(set(values))
    return clean


def _clean_province(value):
    from apps.crm.services.imports import province_code

    codes, wrong = [], []
    for item in _as_list(value):
        code = province_code(str(item))
        (codes if code else wrong).append(code or str(item))
    if wrong:
        raise ValidationError(_("Provincia: no se reconoce «%(wrong)s».") % {"wrong": ", ".join(wrong)})
    return sorted(set(codes))


def _clean_tags(value):
    ids, names = set(), set()
    for item in _as_list(value):
        if isinstance(item, int) or (isinstance(item, str) and item.strip().isdigit()):
            ids.add(int(item))
        elif isinstance(item, str) and item.strip():
            names.add(item.strip())
        elif isinstance(item, Tag):
            ids.add(item.pk)
    found = dict(Tag.objects.filter(pk__in=ids).values_list("pk", "name"))
    by_name = {}
    if names:
        condition = Q()
        for name in names:
            condition |= Q(name__iexact=name)
        by_name = {name.lower(): pk for pk, name in Tag.objects.filter(condition).values_list("pk", "name")}
    missing = [str(i) for i in ids if i not in found] + [n for n in names if n.lower() not in by_name]
    if missing:
        raise ValidationError(_("Etiquetas: no existen «%(missing)s».") % {"missing": ", ".join(missing)})
    return sorted(set(found) | set(by_name.values()))


def _clean_managers(value):
    ids = set()
    for item in _as_list(value):
        try:
            ids.add(int(getattr(item, "pk", item)))
        except (TypeError, ValueError):
            raise ValidationError(_("Gestor: «%(value)s» no es un usuario.") % {"value": item}) from None
    found = set(get_user_model().objects.filter(pk__in=ids).values_list("pk", flat=True))
    if ids - found:
        raise ValidationError(_("Gestor: no existen los usuarios %(ids)s.") % {
            "ids": ", ".join(str(i) for i in sorted(ids - found))})
    return sorted(ids)


def _clean_date(label):
    def clean(value):
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value.isoformat()
        parsed = parse_date(str(value))
        if parsed is None:
            raise ValidationError(_("%(label)s: «%(value)s» no es una fecha (aaaa-mm-dd).") % {"label": label, "value": value})
        return parsed.isoformat()
    return clean


def _in(field):
    return lambda qs, values: qs.filter(**{f"{field}__in": values})


def _province(qs, codes):
    return qs.filter(Exists(Address.objects.filter(party=OuterRef("pk"), province__in=codes)))


def _tags(qs, ids):
    return qs.filter(Exists(Party.tags.through.objects.filter(party_id=OuterRef("pk"), tag_id__in=ids)))


for _filter in (
    SegmentFilter("kind", gettext_lazy("Tipo"), _choices(PartyKind, _("Tipo")), _in("kind")),
    SegmentFilter("status", gettext_lazy("Situación"), _choices(PartyStatus, _("Situación")), _in("status")),
    SegmentFilter("province", gettext_lazy("Provincia"), _clean_province, _province),
    SegmentFilter("tags", gettext_lazy("Etiquetas (cualquiera)"), _clean_tags, _tags),
    SegmentFilter("account_manager", gettext_lazy("Gestor"), _clean_managers, _in("account_manager")),
    SegmentFilter("birth_date_from", gettext_lazy("Nacidos desde"), _clean_date(_("Nacidos desde")),
                  lambda qs, v: qs.filter(birth_date__gte=v)),
    SegmentFilter("birth_date_to", gettext_lazy("Nacidos hasta"), _clean_date(_("Nacidos hasta")),
                  lambda qs, v: qs.filter(birth_date__lte=v)),
    SegmentFilter("language", gettext_lazy("Idioma"), _choices(Language, _("Idioma")), _in("preferred_language")),
):
    register_segment_filter(_filter)


def segment_filters_clean(filters) -> dict:
    """The filters as they will be saved; unknown keys and bad values refused, all at once."""
    if filters in (None, ""):
        return {}
    if not isinstance(filters, dict):
        raise ValidationError({"filters": _("Los filtros deben ser un objeto JSON {clave: valor}.")})
    errors, cleaned = [], {}
    for key, value in filters.items():
        spec = _FILTERS.get(key)
        if spec is None:
            if key in ("products", "productos"):
                errors.append(_("El filtro por productos contratados estará disponible cuando exista el módulo de "
                                "pólizas."))
            else:
                errors.append(_("Filtro desconocido «%(key)s». Admitidos: %(keys)s.") % {
                    "key": key, "keys": ", ".join(_FILTERS)})
            continue
        try:
            value = spec.clean(value)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if value not in (None, "", []):
            cleaned[key] = value
    if not errors and cleaned.get("birth_date_from") and cleaned.get("birth_date_to") \
            and cleaned["birth_date_from"] > cleaned["birth_date_to"]:
        errors.append(_("La fecha «Nacidos desde» es posterior a «Nacidos hasta»."))
    if errors:
        raise ValidationError({"filters": errors})
    return cleaned


def segment_parties(segment: Segment | dict) -> QuerySet:
    """The parties a segment selects today (anonymised parties never)."""
    filters = segment.filters if isinstance(segment, Segment) else segment
    queryset = Party.objects.filter(anonymised_at__isnull=True)
    for key, value in (filters or {}).items():
        spec = _FILTERS.get(key)
        if spec is None:
            # Saved before a filter was withdrawn: refuse rather than silently widen the audience.
            raise ValidationError(_("El segmento usa el filtro «%(key)s», que ya no existe. Edite el segmento.") % {
                "key": key})
        if value not in (None, "", []):
            queryset = spec.apply(queryset, value)
    return queryset.order_by("pk")


def segment_describe(filters: dict, *, names: dict | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs for showing a segment's filters to people."""
    names = names if names is not None else _names_for([filters])
    rows = []
    for key, value in (filters or {}).items():
        spec = _FILTERS.get(key)
        label = str(spec.label) if spec else key
        if key == "tags":
            shown = ", ".join(names["tags"].get(pk, f"#{pk}") for pk in value)
        elif key == "province":
            shown = ", ".join(Province(v).label for v in value if v in Province.values)
        elif key == "account_manager":
            shown = ", ".join(names["users"].get(pk, f"#{pk}") for pk in value)
        elif key in ("kind", "status", "language"):
            choices = {"kind": PartyKind, "status": PartyStatus, "language": Language}[key]
            shown = ", ".join(str(choices(v).label) for v in value if v in choices.values)
        elif key.startswith("birth_date"):
            parsed = parse_date(value)
            shown = parsed.strftime("%d/%m/%Y") if parsed else str(value)
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        rows.append((label, shown))
    return rows


def _names_for(all_filters) -> dict:
    """Tag and user names for several segments in two queries."""
    tag_ids, user_ids = set(), set()
    for filters in all_filters:
        tag_ids.update((filters or {}).get("tags", []))
        user_ids.update((filters or {}).get("account_manager", []))
    tags = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name")) if tag_ids else {}
    users = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
    return {"tags": tags, "users": users}


def segments_describe(segments) -> list[tuple[Segment, list[tuple[str, str]]]]:
    segments = list(segments)
    names = _names_for([s.filters for s in segments])
    return [(segment, segment_describe(segment.filters, names=names)) for segment in segments]


@transaction.atomic
def segment_create(*, actor, data: dict) -> Segment:
    data = {**data, "filters": segment_filters_clean(data.get("filters"))}
    return record_create(actor=actor, model=Segment, data=data)


@transaction.atomic
def segment_update(*, actor, instance: Segment, data: dict, expected_version: int | None = None) -> Segment:
    if "filters" in data:
        data = {**data, "filters": segment_filters_clean(data.get("filters"))}
    return record_update(actor=actor, instance=instance, data=data, expected_version=expected_version)
