"""Rendering a line's risk form on staff pages: Bootstrap classes on fields a line declared
without them, the no-JavaScript «add row», and service errors put back on their fields."""
from django.core.exceptions import ValidationError

from apps.core.forms import style_form


def style_all(form, formsets):
    style_form(form)
    for formset in formsets.values():
        for row in formset.forms:
            style_form(row)
        style_form(formset.empty_form)
    return form, formsets


def add_row(data, name):
    """POST data with one more blank row in formset `name` (the no-JavaScript «add row»)."""
    data = data.copy()
    key = f"{name}-TOTAL_FORMS"
    data[key] = str(int(data.get(key) or 0) + 1)
    return data


def apply_errors(exc: ValidationError, form, formsets) -> list[str]:
    """Errors keyed like risk_validate's («plate», «members-0-birth_date») back onto the forms."""
    general = []
    if not hasattr(exc, "error_dict"):
        return [str(message) for message in exc.messages]
    for key, errors in exc.message_dict.items():
        if key in form.fields:
            for message in errors:
                form.add_error(key, message)
            continue
        name, _sep, rest = key.partition("-")
        index, _sep, field_name = rest.partition("-")
        formset = formsets.get(name)
        if formset is not None and index.isdigit() and int(index) < len(formset.forms) \
                and field_name in formset.forms[int(index)].fields:
            for message in errors:
                formset.forms[int(index)].add_error(field_name, message)
        else:
            general.extend(f"{message}" for message in errors)
    return general
