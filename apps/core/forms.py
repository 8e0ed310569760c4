from django import forms


class BootstrapFormMixin:
    """Bootstrap classes on every widget, and aria-invalid on fields with errors."""

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
            if self.is_bound and name in self.errors:
                widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-invalid"] = "true"


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

