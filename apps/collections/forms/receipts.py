"""Forms of the receipt page's actions: collect (amount, date, channel; partial allowed), return
(date and a SEPA reason code or free text) and cancel (date, reason). They shape input only; the
services in apps.collections.services.receipts decide."""
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from apps.collections.choices import CollectionChannel

DATE = {"type": "date"}
OTHER = "other"
# SEPA R-transaction reason codes a returned direct debit comes back with (ISO 20022 / EPC).
SEPA_RETURN_REASONS = [
    ("AC04", _l("AC04 · Cuenta cancelada")),
    ("AM04", _l("AM04 · Saldo insuficiente")),
    ("MD01", _l("MD01 · Sin mandato o mandato no válido")),
    ("MD06", _l("MD06 · Devolución solicitada por el deudor (adeudo autorizado)")),
    ("MS02", _l("MS02 · Motivo no especificado, a iniciativa del deudor")),
    ("MS03", _l("MS03 · Motivo no especificado, a iniciativa de la entidad")),
    (OTHER, _l("Otro motivo (indíquelo)")),
]


def _date_field(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


class _Dated(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CollectForm(_Dated):
    date = _date_field(_l("Fecha de cobro"))
    amount = forms.DecimalField(label=_l("Importe cobrado"), required=False, max_digits=12, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0.01"))],
                                help_text=_l("Vacío: lo pendiente del recibo. Menos: cobro parcial."))
    channel = forms.ChoiceField(label=_l("Medio de cobro"), choices=CollectionChannel.choices)


class ReturnForm(_Dated):
    date = _date_field(_l("Fecha de devolución"))
    code = forms.ChoiceField(label=_l("Motivo de devolución"), choices=SEPA_RETURN_REASONS)
    text = forms.CharField(label=_l("Detalle"), required=False, max_length=150)

    def clean(self):
        data = super().clean()
        code, text = data.get("code"), (data.get("text") or "").strip()
        if code == OTHER and not text:
            self.add_error("text", _l("Indique el motivo de la devolución."))
        return data

    @property
    def reason(self) -> str:
        """«AM04 · Saldo insuficiente» (plus the detail), or the free text alone."""
        code, text = self.cleaned_data["code"], (self.cleaned_data.get("text") or "").strip()
        if code == OTHER:
            return text[:200]
        label = str(dict(SEPA_RETURN_REASONS)[code])
        return (f"{label} — {text}" if text else label)[:200]


class CancelForm(_Dated):
    date = _date_field(_l("Fecha de anulación"))
    reason = forms.CharField(label=_l("Motivo"), required=False, max_length=200)
