from django import forms


class BootstrapFormMixin:
    """Bootstrap classes on every widget, and is-invalid/aria-invalid on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput,)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            if isinstance(field, forms.DateField):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-invalid"] = "true"


class VersionedModelForm(BootstrapFormMixin, forms.ModelForm):
    """A ModelForm that carries the record version it was loaded with (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and hasattr(self.instance, "version"):
            self.fields["version"].initial = self.instance.version

    def business_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def _post_clean(self):
        # Validation of the model instance is the service's job (it runs full_clean once).
        pass



def add_service_errors(form, exc) -> None:
    """Shows a service's ValidationError or DomainError beside the fields it names."""
    from django.core.exceptions import ValidationError

    from apps.core.errors import DomainError

    def visible(field):
        # Errors on hidden fields (the record version) are shown at the top of the form.
        return field if field in form.fields and not form.fields[field].widget.is_hidden else None

    if isinstance(exc, DomainError):
        form.add_error(visible(exc.field), exc.message)
        return
    if isinstance(exc, ValidationError):
        for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            for error in errors:
                form.add_error(visible(field), error)
        return
    raise TypeError(f"not a service error: {exc!r}")


def style_form(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        if isinstance(field, forms.DecimalField):
            widget.attrs.setdefault("inputmode", "decimal")
        classes = widget.attrs.get("class", "")
        if not any(name in classes for name in ("form-control", "form-select", "form-check-input")):
            widget.attrs["class"] = f"{classes} {css}".strip()
    return form
