"""Forms of the quote pages: list filters, step 1 (client, line, date), the demands-and-needs
questionnaire (LDS art. 172), the advice choice, accept and reject. The risk itself is the
line's own form (apps.insurance.services.risks.risk_forms)."""
import copy

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _l

from apps.crm.forms.pipeline import PartyChoiceMixin
from apps.crm.models import Party
from apps.identity.models import User
from apps.insurance.choices import AdviceKind, DgsfpClass, PaymentFrequency, PaymentMethod, QuoteState
from apps.insurance.lines import registered_lines
from apps.insurance.models import Line, Quote

DATE = {"type": "date"}


def line_choices() -> list[tuple[str, str]]:
    """Every registered line (a line app added later shows up here without a core change)."""
    return [(spec.code, str(spec.name)) for spec in registered_lines()]


class QuoteFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_l("Estado"), choices=QuoteState.choices)
    line = django_filters.ModelChoiceFilter(label=_l("Ramo"), queryset=Line.objects.all(), to_field_name="code")
    owner = django_filters.ModelChoiceFilter(label=_l("Responsable"), queryset=User.objects.none())

    class Meta:
        model = Quote
        fields = ["state", "line", "owner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["line"].queryset = Line.objects.filter(is_active=True).order_by("name")
        self.filters["owner"].queryset = User.objects.filter(is_active=True).order_by("email")


class QuoteStartForm(PartyChoiceMixin, forms.Form):
    """Step 1: who, which line, from when."""

    party_field = "client"
    client = forms.ModelChoiceField(label=_l("Cliente"), queryset=Party.objects.none())
    line = forms.ChoiceField(label=_l("Ramo"), choices=())
    effective_date = forms.DateField(label=_l("Fecha de efecto prevista"), widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", _l("— Elija el ramo —")), *line_choices()]
        self.setup_party(user)


# Demands and needs: common questions, then a few per kind of line.
COMMON_QUESTIONS = [
    ("cover_wanted", forms.CharField(label=_l("¿Qué desea asegurar y frente a qué riesgos?"),
                                     widget=forms.Textarea(attrs={"rows": 2}))),
    ("priority", forms.ChoiceField(label=_l("¿Qué es lo más importante para usted?"), choices=[
        ("price", _l("El precio")), ("coverages", _l("La amplitud de coberturas")),
        ("service", _l("El servicio y la atención de siniestros")), ("balance", _l("Un equilibrio"))])),
    ("budget", forms.DecimalField(label=_l("Presupuesto anual aproximado (€)"), required=False, min_value=0,
                                  decimal_places=2, max_digits=12)),
    ("current_insurer", forms.CharField(label=_l("Compañía actual (si la tiene)"), required=False, max_length=100)),
    ("current_expiry", forms.DateField(label=_l("Vencimiento de la póliza actual"), required=False,
                                       widget=forms.DateInput(attrs=DATE))),
    ("deductible_ok", forms.BooleanField(label=_l("Acepta una franquicia a cambio de una prima menor"),
                                         required=False)),
]
KIND_QUESTIONS = {
    "motor": [
        ("drivers", forms.CharField(label=_l("¿Quién conducirá el vehículo habitualmente?"), required=False,
                                    max_length=200)),
        ("own_damage", forms.BooleanField(label=_l("Desea cubrir los daños propios del vehículo"), required=False)),
    ],
    "property": [
        ("occupancy", forms.ChoiceField(label=_l("Uso del inmueble"), required=False, choices=[
            ("", "—"), ("owner", _l("Vivienda habitual del propietario")), ("tenant", _l("Inquilino")),
            ("second", _l("Segunda residencia")), ("rented", _l("Alquilada a terceros"))])),
        ("valuables", forms.BooleanField(label=_l("Tiene joyas u objetos de valor que asegurar"), required=False)),
    ],
    "persons": [
        ("dependants", forms.IntegerField(label=_l("Personas que dependen económicamente de usted"), required=False,
                                          min_value=0)),
        ("health_notes", forms.CharField(label=_l("Circunstancias de salud o profesión relevantes"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))),
    ],
    "liability": [
        ("activity_detail", forms.CharField(label=_l("Describa la actividad y sus riesgos frente a terceros"),
                                            required=False, widget=forms.Textarea(attrs={"rows": 2}))),
    ],
}
KIND_BY_CLASS = {
    DgsfpClass.LAND_VEHICLES: "motor", DgsfpClass.MOTOR_LIABILITY: "motor",
    DgsfpClass.FIRE: "property", DgsfpClass.OTHER_DAMAGE: "property",
    DgsfpClass.ACCIDENTS: "persons", DgsfpClass.SICKNESS: "persons", DgsfpClass.FUNERAL: "persons",
    DgsfpClass.LIFE: "persons", DgsfpClass.GENERAL_LIABILITY: "liability",
}


def line_kind(spec) -> str:
    return "persons" if spec.is_life else KIND_BY_CLASS.get(spec.dgsfp_class, "")


class DemandsForm(forms.Form):
    """The demands-and-needs questionnaire for the line's kind (motor, property, persons, liability)."""

    def __init__(self, *args, spec, **kwargs):
        kwargs.setdefault("prefix", "needs")
        super().__init__(*args, **kwargs)
        for name, field in COMMON_QUESTIONS + KIND_QUESTIONS.get(line_kind(spec), []):
            self.fields[name] = copy.deepcopy(field)

    def answers(self) -> dict:
        """JSON-safe answers, empty ones left out."""
        from apps.insurance.services.risks import json_safe

        return json_safe({name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)})

    def labels(self) -> dict:
        return {name: str(field.label) for name, field in self.fields.items()}


def question_labels(spec) -> dict:
    return {name: str(field.label) for name, field in COMMON_QUESTIONS + KIND_QUESTIONS.get(line_kind(spec), [])}


def needs_display(spec, answers: dict) -> list[tuple[str, str]]:
    """(question, answer) pairs as people read them: choice labels, Sí, dd/mm/yyyy, euros.
    `spec` may be None (a line no longer registered): keys and raw values then."""
    import datetime

    from apps.core.money import format_eur

    questions = dict(COMMON_QUESTIONS + KIND_QUESTIONS.get(line_kind(spec), [])) if spec is not None else {}
    pairs = []
    for key, value in (answers or {}).items():
        field = questions.get(key)
        if value is True:
            value = _l("Sí")
        elif isinstance(field, forms.ChoiceField):
            value = dict(field.choices).get(value, value)
        elif isinstance(field, forms.DateField):
            try:
                value = datetime.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
            except ValueError:
                pass
        elif isinstance(field, forms.DecimalField):
            try:
                value = format_eur(value)
            except (ArithmeticError, ValueError, TypeError):
                pass
        pairs.append((str(field.label) if field is not None else key, str(value)))
    return pairs


class AdviceForm(forms.Form):
    advice_kind = forms.ChoiceField(label=_l("Tipo de asesoramiento"), choices=AdviceKind.choices,
                                    initial=AdviceKind.OBJECTIVE_ANALYSIS)
    needs_statement = forms.CharField(
        label=_l("Declaración de exigencias y necesidades"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_l("Vacía: se redacta con las respuestas del cuestionario."))
    notes = forms.CharField(label=_l("Observaciones"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AcceptForm(forms.Form):
    option = forms.TypedChoiceField(label=_l("Opción aceptada"), coerce=int)
    policy_number = forms.CharField(label=_l("Número de póliza"), max_length=40)
    start_date = forms.DateField(label=_l("Fecha de efecto"), widget=forms.DateInput(attrs=DATE))
    payment_frequency = forms.ChoiceField(label=_l("Fraccionamiento"), choices=PaymentFrequency.choices,
                                          initial=PaymentFrequency.ANNUAL)
    payment_method = forms.ChoiceField(label=_l("Forma de cobro"), choices=PaymentMethod.choices,
                                       initial=PaymentMethod.BROKER_SEPA)

    def __init__(self, *args, quote, options, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("start_date", quote.effective_date)
        if options:
            kwargs["initial"].setdefault("option", options[0].pk)
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [
            (o.pk, f"{o.rank}. {o.product.insurer.name} · {o.product.name}") for o in options]


class RejectForm(forms.Form):
    reason = forms.CharField(label=_l("Motivo"), required=False, max_length=300)
