"""Typed inputs of the actuarial engines. cleaned_data becomes the run's params (JSON) through
apps.engines.params.form_params: model choices become ids, the uploaded CSV becomes the parsed triangle."""
import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.engines.errors import EngineInputError
from apps.engines.services.pricing import FACTORS
from apps.engines.services.triangles import parse_triangle_csv

MAX_CSV_BYTES = 2 * 1024 * 1024


def _year_start(years_back: int) -> datetime.date:
    return datetime.date(datetime.date.today().year - years_back, 1, 1)


def _last_year_end() -> datetime.date:
    return datetime.date(datetime.date.today().year - 1, 12, 31)


class _Catalog(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.insurance.models import Insurer, Line

        if "line" in self.fields:
            self.fields["line"].queryset = Line.objects.order_by("name")
        if "insurer" in self.fields:
            self.fields["insurer"].queryset = Insurer.objects.order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("La fecha inicial es posterior a la final."))
        return data


def _line():
    return forms.ModelChoiceField(label=_("Ramo"), queryset=None, required=False, empty_label=_("Todos los ramos"))


def _insurer():
    return forms.ModelChoiceField(label=_("Compañía"), queryset=None, required=False,
                                  empty_label=_("Todas las compañías"))


class LossRatioForm(_Catalog):
    date_from = forms.DateField(label=_("Desde"), initial=lambda: _year_start(1),
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("Hasta"), initial=_last_year_end,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    group_by = forms.MultipleChoiceField(
        label=_("Agrupar por"), initial=["line"], widget=forms.CheckboxSelectMultiple,
        choices=[("line", _("Ramo")), ("insurer", _("Compañía")), ("product", _("Producto")), ("period", _("Periodo"))])
    period = forms.ChoiceField(label=_("Periodo"), initial="quarter",
                               choices=[("month", _("Mes")), ("quarter", _("Trimestre")), ("year", _("Año"))])
    line = _line()
    insurer = _insurer()


class TriangleForm(_Catalog):
    source = forms.ChoiceField(label=_("Origen de los datos"), initial="data", widget=forms.RadioSelect, required=False,
                               choices=[("data", _("Siniestros de la correduría")), ("csv", _("Triángulo en CSV"))])
    kind = forms.ChoiceField(label=_("Importes"), initial="paid", required=False,
                             choices=[("paid", _("Pagos")), ("incurred", _("Incurridos (pagos + reserva)"))])
    unit = forms.ChoiceField(label=_("Periodo de origen y desarrollo"), initial="year", required=False,
                             choices=[("year", _("Año")), ("quarter", _("Trimestre"))])
    date_from = forms.DateField(label=_("Ocurridos desde"), required=False, initial=lambda: _year_start(10),
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("Fecha de valoración"), required=False, initial=_last_year_end,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    line = _line()
    insurer = _insurer()
    csv_file = forms.FileField(
        label=_("CSV del triángulo"), required=False,
        help_text=_("Cabecera y una fila por periodo de origen: origen; 12; 24; …; opcional «prima». "
                    "Celdas vacías bajo la diagonal. «;» con coma decimal o «,» con punto."))
    csv_text = forms.CharField(label=_("… o pegue aquí el CSV"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}))
    csv_incremental = forms.BooleanField(label=_("El CSV trae importes incrementales (no acumulados)"),
                                         required=False)

    def clean(self):
        data = super().clean()
        data["kind"], data["unit"] = data.get("kind") or "paid", data.get("unit") or "year"
        data["source"] = data.get("source") or "data"
        if data.get("source") == "csv":
            upload, text = data.get("csv_file"), data.get("csv_text") or ""
            if not upload and not text.strip():
                self.add_error("csv_file", _("Suba el CSV del triángulo."))
                return data
            if (upload.size if upload else len(text)) > MAX_CSV_BYTES:
                self.add_error("csv_file", _("El CSV no puede pasar de 2 MB."))
                return data
            if upload:
                raw = upload.read()
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    text = raw.decode("latin-1")
            try:
                data["triangle"] = parse_triangle_csv(text, incremental=bool(data.get("csv_incremental")))
            except EngineInputError as exc:
                self.add_error("csv_file", exc.message)
        else:
            for name in ("date_from", "date_to"):
                if not data.get(name):
                    self.add_error(name, _("Indique la fecha."))
        data.pop("csv_file", None)
        data.pop("csv_text", None)
        return data


class ChainLadderForm(TriangleForm):
    mack = forms.BooleanField(label=_("Error estándar de Mack"), required=False, initial=True)
    bf = forms.BooleanField(label=_("Bornhuetter-Ferguson"), required=False, initial=False,
                            help_text=_("Con la prima imputada de cada año de origen (o la columna «prima» del CSV)."))
    expected_loss_ratio = forms.DecimalField(label=_("Siniestralidad esperada (%)"), required=False,
                                             min_value=0, max_value=500, decimal_places=2, initial=65)

    def clean(self):
        data = super().clean()
        if data.get("bf") and data.get("expected_loss_ratio") is None:
            self.add_error("expected_loss_ratio", _("Indique la siniestralidad esperada para Bornhuetter-Ferguson."))
        return data


class PricingForm(_Catalog):
    date_from = forms.DateField(label=_("Desde"), initial=lambda: _year_start(3),
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("Hasta"), initial=_last_year_end,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    factors = forms.MultipleChoiceField(label=_("Factores de tarificación"), initial=["line", "payment_frequency"],
                                        choices=list(FACTORS.items()), widget=forms.CheckboxSelectMultiple)
