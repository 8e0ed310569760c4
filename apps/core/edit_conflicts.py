"""Edit forms never silently overwrite someone else's change.

Every edit form carries the version of the record it was loaded with (AuditedModel.version, as a
hidden "version" input: templates/core/_edit_guard.html). On submit the view asks `edit_conflict`:
when the record moved on meanwhile (or the user pressed «Comparar» on the live warning banner), it
answers the conflict to show instead of saving: the message, a table field / your value / current
value, and the current version, which the re-rendered form then carries so that saving again
re-applies the user's values knowingly. The services check the version again under their row lock
(apps.core.services.records.record_update and friends raise StaleObjectError): a view catching that
asks `edit_conflict(..., stale=True)`.

    conflict = edit_conflict(request, form=form, instance=claim)
    if conflict:
        return render(..., {..., "edit_guard": edit_guard(request, claim, conflict=conflict, form=form)},
                      status=conflict.status)
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.notifications.realtime import record_key

STALE_MESSAGE = _l("Otra persona ha modificado este registro mientras lo editaba")
COMPARE_FIELD = "_compare"
SKIPPED_FIELDS = {"version", "create_anyway"}


@dataclass
class ConflictRow:
    label: str
    yours: str
    current: str


@dataclass
class EditConflict:
    message: str
    rows: list[ConflictRow] = field(default_factory=list)
    version: int | None = None  # the record's current version: the re-rendered form carries it
    stale: bool = True  # False: the user only asked to compare (nothing changed the record)
    detail: str = ""  # who changed it and when

    @property
    def status(self) -> int:
        return 409 if self.stale else 200


def posted_version(request) -> int | None:
    value = str(request.POST.get("version", "")).strip()
    return int(value) if value.isdigit() else None


def compare_requested(request) -> bool:
    return request.method == "POST" and request.POST.get(COMPARE_FIELD) == "1"


def live_key_of(instance) -> str:
    meta = instance._meta
    return record_key(f"{meta.app_label}.{meta.model_name}", instance.pk)


def _fresh(instance):
    return type(instance)._default_manager.get(pk=instance.pk)


def _who_and_when(current, yours) -> str:
    when = getattr(current, "updated_at", None)
    who = getattr(current, "updated_by", None) if hasattr(current, "updated_by_id") else None
    return _("Lo modificó %(who)s el %(when)s mientras usted lo editaba (versión %(current)s; usted editaba la "
             "%(yours)s).") % {
        "who": who or _("otro usuario"),
        "when": formats.date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT") if when else "—",
        "current": getattr(current, "version", "—"), "yours": yours if yours is not None else "—"}


def edit_conflict(request, *, form, instance, current_values: dict | None = None, fields=None,
                  stale: bool = False) -> EditConflict | None:
    """The conflict to show instead of saving, or None to go on and save.

    `instance`: the record being edited (re-read here: a ModelForm may have written the posted values
    on it). `current_values`: name -> saved value for fields that are not the record's attributes
    (e.g. a policy's risk); `fields`: the form fields to compare (default: every visible one)."""
    if request.method != "POST":
        return None
    current = _fresh(instance)
    posted = posted_version(request)
    stale = stale or (posted is not None and hasattr(current, "version") and posted != current.version)
    if not stale and not compare_requested(request):
        return None
    values = current_values if current_values is not None else {}
    rows = conflict_rows(form, current, values, fields)
    message = STALE_MESSAGE if stale else _l("Comparación con el registro guardado: no se ha guardado nada.")
    return EditConflict(message=str(message), rows=rows, version=getattr(current, "version", None), stale=stale,
                        detail=_who_and_when(current, posted) if stale else "")


def edit_guard(request, instance, *, conflict: EditConflict | None = None, form=None) -> dict:
    """What templates/core/_edit_guard.html needs: the version the form carries, the record's live key
    (the banner follows it) and the conflict, if any. On a conflict a form with its own "version"
    field gets the current version too."""
    if conflict is not None and conflict.version is not None:
        version = conflict.version
        if form is not None and "version" in form.fields and form.is_bound:
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = str(version)
    elif request.method == "POST" and posted_version(request) is not None:
        version = posted_version(request)  # a form sent back for its errors keeps the version it was loaded with
    else:
        version = getattr(instance, "version", None)
    own_field = form is not None and "version" in form.fields
    return {"version": version, "key": live_key_of(instance), "conflict": conflict, "own_field": own_field}


# --- The comparison ---------------------------------------------------------------------------

def conflict_rows(form, current, current_values: dict, fields=None) -> list[ConflictRow]:
    """Field / your value / current value for the form's fields whose values differ."""
    rows = []
    for name in fields or form.fields:
        form_field = form.fields.get(name)
        if form_field is None or name in SKIPPED_FIELDS or form_field.widget.is_hidden:
            continue
        yours = _yours(form, name, form_field)
        saved = _stored(form_field, current_values[name]) if name in current_values else _attribute(current, name)
        if _normal(yours) == _normal(saved):
            continue
        rows.append(ConflictRow(label=str(form_field.label or name), yours=display_value(form_field, yours),
                                current=display_value(form_field, saved)))
    return rows


def _yours(form, name, form_field):
    cleaned = getattr(form, "cleaned_data", None) or {}
    if name in cleaned:
        return cleaned[name]
    raw = form_field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    try:
        return form_field.clean(raw)
    except forms.ValidationError:
        return raw


def _stored(form_field, value):
    """A value kept as JSON (a policy's risk: dates and amounts as text) read as the form field reads it."""
    if isinstance(form_field, forms.ModelChoiceField):
        return value
    try:
        return form_field.to_python(value)
    except (forms.ValidationError, TypeError, ValueError):
        return value


def _attribute(current, name):
    try:
        value = getattr(current, name)
    except Exception:  # noqa: BLE001 - a form field that is not the model's: nothing to compare with
        return None
    if hasattr(value, "all") and callable(value.all):
        return list(value.all())
    return value


def _normal(value):
    """A comparable form of a value: model rows by pk, numbers by value, empty as ""."""
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(value, models.Model):
        return f"pk:{value.pk}"
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return tuple(sorted(str(_normal(item)) for item in value))
    if isinstance(value, bool):
        return value
    if isinstance(value, (Decimal, int, float)):
        return Decimal(str(value)).normalize()
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    text = str(value).strip()
    try:
        return Decimal(text.replace(",", ".")).normalize() if text and text[0] in "-0123456789" else text
    except ArithmeticError:
        return text


def _choice_labels(form_field) -> dict:
    labels = {}
    for value, label in getattr(form_field, "choices", ()) or ():
        if isinstance(label, (list, tuple)):
            labels.update({str(v): str(text) for v, text in label})
        else:
            labels[str(value)] = str(label)
    return labels


def display_value(form_field, value) -> str:
    """A value as the page shows it (choices by label, rows by name, Sí/No, dates and amounts localised)."""
    if value is None or value == "" or value == [] or value == ():
        return "—"
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return ", ".join(display_value(form_field, item) for item in value) or "—"
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(form_field, forms.ChoiceField) and not isinstance(form_field, forms.ModelChoiceField):
        return _choice_labels(form_field).get(str(value), str(value))
    if isinstance(value, (datetime.date, datetime.datetime, Decimal, int, float)):
        return formats.localize(value, use_l10n=True)
    return str(value)
