"""Forms and list filters of leads and opportunities (the rules live in apps.crm.services.pipeline)."""
import re
from decimal import Decimal

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin, VersionedModelForm
from apps.crm.choices import OPEN_STAGES, LeadStatus, LineOfBusiness, OpportunityStage
from apps.crm.models import Lead, Opportunity
from apps.crm.selectors_pipeline import parties_for


def own_only(user) -> bool:
    """True for roles that see only their own CRM records (Comercial)."""
    from apps.identity.services.roles import user_own_only_modules

    return "crm" in user_own_only_modules(user)


def owner_queryset(user):
    users = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")
    return users.filter(pk=user.pk) if own_only(user) else users


def limit_owner_field(form, user, name: str = "owner") -> None:
    """Own-only roles assign records to themselves; everyone else picks any active user."""
    field = form.fields[name]
    field.queryset = owner_queryset(user)
    if own_only(user):
        field.required = True
        field.empty_label = None
    if not form.is_bound and not form.initial.get(name) and not getattr(form.instance, f"{name}_id", None):
        form.initial[name] = user.pk


class EuroField(forms.DecimalField):
    """An amount typed the Spanish way: '1.234,56', '1234,56', '1 234,56 €' (or '1234.56')."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.update(inputmode="decimal", autocomplete="off")
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("€", "").replace("\xa0", "").replace(" ", "")
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", value):
                value = value.replace(".", "")  # '1.234' is a thousand two hundred and thirty-four
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value


class PartyChoiceMixin:
    """A party select that only renders the chosen party (a brokerage has thousands); the
    search box beside it (htmx) fills in matches. Validation still uses every visible party."""

    party_field = "party"

    def setup_party(self, user, *, required=True, extra=()):
        field = self.fields[self.party_field]
        field.queryset = parties_for(user).filter(anonymised_at__isnull=True)
        field.required = required
        field.widget.attrs["class"] = (field.widget.attrs.get("class", "") + " js-party-select").strip()
        if self.is_bound:
            value = self.data.get(self.add_prefix(self.party_field))
        else:
            value = self.initial.get(self.party_field) or getattr(getattr(self, "instance", None),
                                                                  f"{self.party_field}_id", None)
        value = getattr(value, "pk", value)
        chosen = [(party.pk, str(party)) for party in extra]
        if value and str(value).isdigit() and all(str(pk) != str(value) for pk, _label in chosen):
            party = field.queryset.filter(pk=value).first()
            if party is not None:
                chosen.insert(0, (party.pk, str(party)))
        field.widget.choices = [("", _("— Busque y elija un cliente —"))] + chosen


class LeadForm(VersionedModelForm):
    class Meta:
        model = Lead
        fields = ["name", "company", "email", "phone", "source", "campaign", "status", "owner", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        limit_owner_field(self, user)
        self.fields["campaign"].queryset = self.fields["campaign"].queryset.order_by("-created_at")
        status = self.fields["status"]
        if self.instance.pk and self.instance.status == LeadStatus.CONVERTED:
            status.disabled = True
        else:
            status.choices = [c for c in status.choices if c[0] != LeadStatus.CONVERTED]


class OpportunityForm(PartyChoiceMixin, VersionedModelForm):
    class Meta:
        model = Opportunity
        fields = ["party", "title", "line_of_business", "expected_premium", "probability", "close_date", "owner"]
        field_classes = {"expected_premium": EuroField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        limit_owner_field(self, user)
        if self.instance.pk:
            del self.fields["party"]  # an opportunity stays with its client
        else:
            self.setup_party(user)
        self.fields["expected_premium"].help_text = _("En euros, p. ej. 1.234,56")
        self.fields["probability"].widget.attrs.update(min=0, max=100, step=5)
        if self.instance.pk and self.instance.stage not in OPEN_STAGES:
            self.fields["probability"].disabled = True


class LeadConvertForm(PartyChoiceMixin, BootstrapFormMixin, forms.Form):
    NEW, EXISTING = "new", "existing"
    mode = forms.ChoiceField(
        label=_("Cliente"), widget=forms.RadioSelect, initial=NEW,
        choices=[(NEW, _("Crear un cliente nuevo con los datos del contacto")), (EXISTING, _("Vincular a un cliente que ya existe"))],
    )
    party = forms.ModelChoiceField(label=_("Cliente existente"), queryset=Opportunity.objects.none(), required=False)
    title = forms.CharField(label=_("Título de la oportunidad"), max_length=200, required=False,
                            help_text=_("Si lo deja vacío se usará la empresa o el nombre del contacto."))
    line_of_business = forms.ChoiceField(label=_("Ramo"), choices=LineOfBusiness.choices)
    expected_premium = EuroField(label=_("Prima prevista"), min_value=0, initial=Decimal("0.00"),
                                 help_text=_("En euros, p. ej. 1.234,56"))
    probability = forms.IntegerField(label=_("Probabilidad (%)"), min_value=0, max_value=100, initial=20)
    close_date = forms.DateField(label=_("Cierre previsto"), required=False)

    def __init__(self, *args, user, extra_parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_party(user, required=False, extra=extra_parties)
        self.fields["mode"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == self.EXISTING and not cleaned.get("party"):
            self.add_error("party", _("Elija el cliente al que vincular el contacto."))
        if cleaned.get("mode") == self.NEW:
            cleaned["party"] = None
        return cleaned

    def opportunity_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ("title", "line_of_business", "expected_premium",
                                                                 "probability", "close_date")}


class OpportunityCloseForm(BootstrapFormMixin, forms.Form):
    WON, LOST = "won", "lost"
    outcome = forms.ChoiceField(label=_("Resultado"), widget=forms.RadioSelect,
                                choices=[(WON, _("Ganada")), (LOST, _("Perdida"))])
    reason = forms.CharField(label=_("Motivo"), max_length=200, required=False,
                             help_text=_("Obligatorio si se perdió: precio, coberturas, se quedó con su compañía…"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"


class OpportunityMoveForm(forms.Form):
    """The no-JavaScript fallback of the board: the stage select on each card posts this."""

    stage = forms.ChoiceField(choices=OpportunityStage.choices)
    position = forms.IntegerField(min_value=0, required=False)
    version = forms.IntegerField(required=False)


# --- List filters ---------------------------------------------------------------------------

def _users(request):
    if request is None:
        return get_user_model().objects.none()
    return owner_queryset(request.user)


class LeadFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=LeadStatus.choices)
    source = django_filters.ChoiceFilter(label=_("Origen"), choices=Lead._meta.get_field("source").choices)
    owner = django_filters.ModelChoiceFilter(label=_("Responsable"), queryset=_users)

    class Meta:
        model = Lead
        fields = ["status", "source", "owner", "campaign"]


class OpportunityFilterSet(django_filters.FilterSet):
    stage = django_filters.MultipleChoiceFilter(label=_("Fase"), choices=OpportunityStage.choices)
    line_of_business = django_filters.MultipleChoiceFilter(label=_("Ramo"), choices=LineOfBusiness.choices)
    owner = django_filters.ModelChoiceFilter(label=_("Responsable"), queryset=_users)
    close_from = django_filters.DateFilter(label=_("Cierre desde"), field_name="close_date", lookup_expr="gte",
                                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    close_to = django_filters.DateFilter(label=_("Cierre hasta"), field_name="close_date", lookup_expr="lte",
                                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    class Meta:
        model = Opportunity
        fields = ["stage", "line_of_business", "owner"]
