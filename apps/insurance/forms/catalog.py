"""Catalog pages' forms: input only; apps.insurance.services.catalog/tariffs/agreements decide
what is valid and their errors are shown beside the fields (and formset rows) they name."""
import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.forms import BootstrapFormMixin, VersionedModelForm, add_service_errors
from apps.insurance.choices import CoverageKind
from apps.insurance.models import CommissionAgreement, Insurer, Line, Product, Tariff

BOOL_CHOICES = [("", _l("Cualquiera")), ("true", _l("Sí")), ("false", _l("No"))]


class InsurerForm(VersionedModelForm):
    class Meta:
        model = Insurer
        fields = ["name", "legal_name", "tax_id", "dgsfp_code", "portal_url", "phone", "email", "claims_phone",
                  "eiac_supported", "is_active", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "portal_url": forms.TextInput()}


class ContactForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_l("Nombre"), max_length=150, required=False)
    role = forms.CharField(label=_l("Cargo o departamento"), max_length=100, required=False)
    email = forms.EmailField(label=_l("Correo electrónico"), required=False)
    phone = forms.CharField(label=_l("Teléfono"), max_length=30, required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) for name in ("name", "role", "email", "phone"))


class ProductForm(VersionedModelForm):
    class Meta:
        model = Product
        fields = ["insurer", "line", "code", "name", "is_active", "ipid_summary", "ipid_exclusions",
                  "ipid_restrictions", "ipid_territory", "ipid_obligations", "ipid_payment", "ipid_term",
                  "ipid_cancellation"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in fields if name.startswith("ipid_")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insurer"].queryset = Insurer.objects.order_by("name")
        self.fields["line"].queryset = Line.objects.order_by("name")


class CoverageForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_l("Código"), max_length=40, required=False)
    name = forms.CharField(label=_l("Garantía"), max_length=150, required=False)
    kind = forms.ChoiceField(label=_l("Inclusión"), choices=CoverageKind.choices, initial=CoverageKind.INCLUDED)
    limit = forms.DecimalField(label=_l("Capital o límite"), max_digits=14, decimal_places=2, required=False, localize=True)
    limit_text = forms.CharField(label=_l("Límite (texto)"), max_length=100, required=False)
    deductible = forms.DecimalField(label=_l("Franquicia"), max_digits=12, decimal_places=2, required=False, localize=True)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not (data.get("code") or data.get("name"))


class TariffForm(VersionedModelForm):
    parameters_text = forms.CharField(
        label=_l("Parámetros"), required=False, widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text=_l("Uno por línea: nombre = valor (p. ej. per_mille = 1.2). Los nombres los define el ramo."))

    class Meta:
        model = Tariff
        fields = ["base_premium", "minimum_premium", "notes"]
        localized_fields = ["base_premium", "minimum_premium"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and not self.is_bound:
            self.fields["parameters_text"].initial = "\n".join(
                f"{k} = {v}" for k, v in (self.instance.parameters or {}).items())

    def clean_parameters_text(self):
        parameters = {}
        for number, line in enumerate((self.cleaned_data.get("parameters_text") or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, value = line.partition("=") if "=" in line else line.partition(":")
            if not sep or not name.strip():
                raise forms.ValidationError(_("Línea %(n)s: escriba «nombre = valor».") % {"n": number})
            parameters[name.strip()] = value.strip().replace(",", ".")
        return parameters

    def business_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "parameters_text")}
        data["parameters"] = self.cleaned_data.get("parameters_text") or {}
        return data


class FactorForm(BootstrapFormMixin, forms.Form):
    factor = forms.CharField(label=_l("Factor"), max_length=40, required=False)
    key = forms.CharField(label=_l("Categoría"), max_length=60, required=False)
    band_from = forms.DecimalField(label=_l("Desde"), max_digits=14, decimal_places=2, required=False, localize=True)
    band_to = forms.DecimalField(label=_l("Hasta (excluido)"), max_digits=14, decimal_places=2, required=False, localize=True)
    value = forms.DecimalField(label=_l("Valor"), max_digits=12, decimal_places=4, required=False, localize=True)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not (data.get("factor") or data.get("key") or data.get("value") is not None)


class NewTariffVersionForm(BootstrapFormMixin, forms.Form):
    valid_from = forms.DateField(label=_l("En vigor desde"))
    copy_from = forms.ModelChoiceField(label=_l("Copiar de la versión"), queryset=Tariff.objects.none(),
                                       required=False, empty_label=_l("La anterior a la fecha"))

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = Tariff.objects.filter(product=product).order_by("-valid_from")
        self.fields["copy_from"].label_from_instance = lambda t: t.valid_from.strftime("%d/%m/%Y")


class AgreementForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CommissionAgreement
        fields = ["insurer", "product", "valid_from", "new_business_pct", "renewal_pct", "earned_on",
                  "clawback_rule", "clawback_months", "upfront", "notes"]
        localized_fields = ["new_business_pct", "renewal_pct"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insurer"].queryset = Insurer.objects.order_by("name")
        self.fields["product"].queryset = Product.objects.select_related("insurer").order_by("insurer__name", "name")

    def _post_clean(self):
        pass  # the service validates (dates, percentages, product of the insurer)


class LineForm(VersionedModelForm):
    class Meta:
        model = Line
        fields = ["name", "ips_applies", "clea_applies", "consorcio_basis", "consorcio_rate", "is_active"]
        localized_fields = ["consorcio_rate"]


# --- List filters ---------------------------------------------------------------------------------

class InsurerFilterSet(django_filters.FilterSet):
    is_active = django_filters.ChoiceFilter(label=_l("Activa"), choices=BOOL_CHOICES[1:], method="filter_bool")
    eiac_supported = django_filters.ChoiceFilter(label=_l("EIAC"), choices=BOOL_CHOICES[1:], method="filter_bool")

    class Meta:
        model = Insurer
        fields = ["is_active", "eiac_supported"]

    def filter_bool(self, queryset, name, value):
        return queryset.filter(**{name: value == "true"}) if value in ("true", "false") else queryset


class ProductFilterSet(django_filters.FilterSet):
    insurer = django_filters.ModelChoiceFilter(label=_l("Compañía"), queryset=Insurer.objects.order_by("name"))
    line = django_filters.ModelChoiceFilter(label=_l("Ramo"), queryset=Line.objects.order_by("name"))
    is_active = django_filters.ChoiceFilter(label=_l("Comercializable"), choices=BOOL_CHOICES[1:],
                                            method="filter_bool")

    class Meta:
        model = Product
        fields = ["insurer", "line", "is_active"]

    def filter_bool(self, queryset, name, value):
        return queryset.filter(**{name: value == "true"}) if value in ("true", "false") else queryset


class AgreementFilterSet(django_filters.FilterSet):
    insurer = django_filters.ModelChoiceFilter(label=_l("Compañía"), queryset=Insurer.objects.order_by("name"))

    class Meta:
        model = CommissionAgreement
        fields = ["insurer"]


def rows_from_formset(formset) -> tuple[list[dict], list]:
    """The non-blank rows' data and the forms they came from (to put service errors back)."""
    rows, forms_used = [], []
    for form in formset.forms:
        if not form.is_valid() or form.is_blank():
            continue
        if formset.can_delete and form.cleaned_data.get("DELETE"):
            continue
        rows.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
        forms_used.append(form)
    return rows, forms_used


def add_row_errors(exc, form, formset, forms_used, prefix: str) -> None:
    """Puts a service ValidationError's "<prefix>-<n>-<field>" keys on the formset row that sent
    row n, and the rest on the main form."""
    messages = getattr(exc, "message_dict", None)
    if messages is None:
        add_service_errors(form, exc)
        return
    rest = {}
    for key, errors in messages.items():
        parts = key.split("-", 2)
        if len(parts) == 3 and parts[0] == prefix and parts[1].isdigit() and int(parts[1]) < len(forms_used):
            row_form = forms_used[int(parts[1])]
            field = parts[2] if parts[2] in row_form.fields else None
            for error in errors:
                row_form.add_error(field, error)
        else:
            rest[key] = errors
    if rest:
        add_service_errors(form, ValidationError(rest))
