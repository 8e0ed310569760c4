"""Validating a risk against its line: the line's form for the fields, row forms for its lists
(members, beneficiaries...), then the line's whole-risk check. The result is JSON-safe data
(dates as ISO strings, amounts as strings) that quotes and policy versions store as is."""
import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext as _

from apps.core.money import format_eur
from apps.insurance.lines import LineSpec, get_line


def json_safe(value):
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def _formset_data(prefix: str, rows) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for name, value in (row or {}).items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def risk_forms(spec: LineSpec, data=None, initial: dict | None = None):
    """The line's form and one formset per row list, bound to POST-style `data` when given."""
    initial = initial or {}
    form = spec.risk_form(data=data, initial=initial, prefix="risk")
    formsets = {}
    for name, row_form in spec.row_forms.items():
        formset_class = formset_factory(row_form, extra=0 if initial.get(name) else 1, can_delete=True)
        formsets[name] = formset_class(data=data, initial=initial.get(name) or None, prefix=name)
    return form, formsets


def risk_from_forms(spec: LineSpec, form, formsets) -> dict:
    """Validated risk data from bound forms; raises ValidationError keyed by field
    ("plate", "members-0-birth_date")."""
    errors = {}
    if not form.is_valid():
        errors.update({name: messages for name, messages in form.errors.items()})
    rows = {}
    for name, formset in formsets.items():
        if not formset.is_valid():
            for index, row_errors in enumerate(formset.errors):
                for field_name, messages in row_errors.items():
                    errors[f"{name}-{index}-{field_name}"] = messages
            if formset.non_form_errors():
                errors[name] = formset.non_form_errors()
            continue
        rows[name] = [row.cleaned_data for row in formset.forms
                      if row.cleaned_data and not row.cleaned_data.get("DELETE")]
        for row in rows[name]:
            row.pop("DELETE", None)
    if errors:
        raise ValidationError(errors)
    data = json_safe({**form.cleaned_data, **rows})
    if spec.check is not None:
        spec.check(data)
    return data


def risk_validate(*, line_code: str, raw: dict) -> dict:
    """Validate a risk given as plain data (API, imports, tests): lists are lists of dicts."""
    try:
        spec = get_line(line_code)
    except LookupError:
        raise ValidationError({"line": _("No existe el ramo «%(code)s».") % {"code": line_code}}) from None
    if not isinstance(raw, dict):
        raise ValidationError({"risk": _("Los datos del riesgo deben ser un objeto con sus campos.")})
    post = {f"risk-{name}": value for name, value in raw.items() if name not in spec.row_forms}
    for name in spec.row_forms:
        rows = raw.get(name) or []
        if not isinstance(rows, list):
            raise ValidationError({name: _("«%(name)s» debe ser una lista.") % {"name": name}})
        post.update(_formset_data(name, rows))
    form, formsets = risk_forms(spec, data=post)
    return risk_from_forms(spec, form, formsets)


def risk_labels(spec: LineSpec, data: dict) -> list[tuple[str, str]]:
    """(label, value) pairs to show a stored risk, in the form's field order."""
    form = spec.risk_form(prefix="risk")
    pairs = []
    for name, field in form.fields.items():
        if name not in data:
            continue
        pairs.append((str(field.label or name), display_risk_value(field, data[name])))
    return pairs


def display_risk_value(field, value) -> str:
    """A stored risk value as a Spanish reader expects it: 15/03/2022, 1.234,56, Sí/No, choice labels."""
    if value in (None, ""):
        return "—"
    if getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(field, forms.DateField):
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            return str(value)
    if isinstance(field, forms.DecimalField):
        return format_eur(value).removesuffix(" €")
    return str(value)


def risk_row_tables(spec: LineSpec | None, data: dict) -> list[dict]:
    """The risk's row lists (members, premises...) as tables: label, headers and formatted cells."""
    tables = []
    for name, row_form in (spec.row_forms.items() if spec else ()):
        items = data.get(name) or []
        if items:
            fields = row_form().fields
            tables.append({"label": spec.row_labels.get(name, name),
                           "headers": [str(field.label or key) for key, field in fields.items()],
                           "items": [[display_risk_value(field, item.get(key)) for key, field in fields.items()]
                                     for item in items]})
    return tables
