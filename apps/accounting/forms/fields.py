"""Form fields shared by the entry and invoice forms."""
from django import forms


class ParsedNumberField(forms.CharField):
    """An optional number typed the Spanish way (1.234,56) or with a point; subclasses set `parse` (text ->
    Decimal or None), `invalid` (the error, with %s for the text) and `widget_attrs_extra`."""

    parse = None
    invalid = ""
    widget_attrs_extra = {}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        attrs = {"inputmode": "decimal", "autocomplete": "off", **self.widget_attrs_extra}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        number = type(self).parse(text)
        if number is None:
            raise forms.ValidationError(str(self.invalid) % text)
        return number
