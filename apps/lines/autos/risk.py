"""The autos risk: the vehicle, its use and cover, the usual driver (and an optional second one)."""
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.lines.common import add_years, age_at, check_not_future, clean_plate, clean_postal_code, today

USE_CHOICES = [
    ("particular", _l("Particular")),
    ("profesional", _l("Profesional (autónomo, comercial)")),
    ("reparto", _l("Reparto y transporte de mercancías")),
    ("taxi", _l("Taxi")),
    ("vtc", _l("VTC")),
]
COVER_CHOICES = [
    ("terceros_basico", _l("Terceros básico")),
    ("terceros_ampliado", _l("Terceros ampliado (lunas, robo e incendio)")),
    ("todo_riesgo_franquicia", _l("Todo riesgo con franquicia")),
    ("todo_riesgo", _l("Todo riesgo sin franquicia")),
]
TODO_RIESGO = ("todo_riesgo_franquicia", "todo_riesgo")
MAX_BONUS_YEARS = 20
OLDEST_REGISTRATION = datetime.date(1900, 1, 1)
OLDEST_BIRTH = datetime.date(1900, 1, 1)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AutosRiskForm(forms.Form):
    plate = forms.CharField(label=_l("Matrícula"), max_length=12,
                            help_text=_l("Formato actual 1234BCD o provincial (M1234AB)."))
    make = forms.CharField(label=_l("Marca"), max_length=40)
    model = forms.CharField(label=_l("Modelo"), max_length=60)
    first_registration_date = forms.DateField(label=_l("Fecha de primera matriculación"), widget=_date_widget(),
                                              help_text=_l("Figura en el permiso de circulación (casilla B)."))
    use = forms.ChoiceField(label=_l("Uso del vehículo"), choices=USE_CHOICES, initial="particular")
    cover = forms.ChoiceField(label=_l("Modalidad"), choices=COVER_CHOICES, initial="terceros_ampliado")
    postal_code = forms.CharField(label=_l("Código postal de circulación"), max_length=5,
                                  help_text=_l("Donde duerme habitualmente el vehículo."))
    driver_birth_date = forms.DateField(label=_l("Fecha de nacimiento del conductor habitual"), widget=_date_widget())
    driver_licence_date = forms.DateField(label=_l("Fecha del permiso de conducir"), widget=_date_widget(),
                                          help_text=_l("Fecha de expedición del permiso B."))
    bonus_years = forms.IntegerField(label=_l("Años sin siniestros (bonificación)"), min_value=0,
                                     max_value=MAX_BONUS_YEARS, initial=0,
                                     help_text=_l("Años seguidos sin siniestros con culpa según el certificado de la "
                                                  "aseguradora anterior (0 a 20)."),
                                     error_messages={"min_value": _l("Los años sin siniestros van de 0 a 20."),
                                                     "max_value": _l("Los años sin siniestros van de 0 a 20.")})
    second_driver_birth_date = forms.DateField(label=_l("Fecha de nacimiento del conductor ocasional"),
                                               required=False, widget=_date_widget(),
                                               help_text=_l("Opcional: solo si otra persona conduce el vehículo."))
    second_driver_licence_date = forms.DateField(label=_l("Fecha del permiso del conductor ocasional"),
                                                 required=False, widget=_date_widget())

    def clean_plate(self):
        return clean_plate(self.cleaned_data["plate"])

    def clean_make(self):
        return " ".join(self.cleaned_data["make"].split())

    def clean_model(self):
        return " ".join(self.cleaned_data["model"].split())

    def clean_postal_code(self):
        return clean_postal_code(self.cleaned_data["postal_code"])

    def clean_first_registration_date(self):
        value = self.cleaned_data["first_registration_date"]
        check_not_future(value, _("La fecha de primera matriculación no puede ser posterior a hoy."))
        if value < OLDEST_REGISTRATION:
            raise ValidationError(_("La fecha de primera matriculación no puede ser anterior a 1900."))
        return value

    def clean_driver_birth_date(self):
        return _clean_birth_date(self.cleaned_data["driver_birth_date"])

    def clean_second_driver_birth_date(self):
        value = self.cleaned_data["second_driver_birth_date"]
        return _clean_birth_date(value) if value else value

    def clean_driver_licence_date(self):
        value = self.cleaned_data["driver_licence_date"]
        check_not_future(value, _("La fecha del permiso de conducir no puede ser posterior a hoy."))
        return value

    def clean_second_driver_licence_date(self):
        value = self.cleaned_data["second_driver_licence_date"]
        check_not_future(value, _("La fecha del permiso de conducir no puede ser posterior a hoy."))
        return value

    def clean(self):
        data = super().clean()
        errors = {}
        birth, licence = data.get("driver_birth_date"), data.get("driver_licence_date")
        message = _licence_error(birth, licence)
        if message:
            errors["driver_licence_date"] = message
        elif birth and licence and data.get("bonus_years") is not None:
            licence_years = age_at(licence, today())
            if data["bonus_years"] > licence_years:
                errors["bonus_years"] = _(
                    "Los años sin siniestros (%(bonus)s) no pueden superar los años de carné (%(years)s)."
                ) % {"bonus": data["bonus_years"], "years": licence_years}
        second_birth, second_licence = data.get("second_driver_birth_date"), data.get("second_driver_licence_date")
        if second_birth and not second_licence and "second_driver_licence_date" not in self.errors:
            errors["second_driver_licence_date"] = _("Indique la fecha del permiso del conductor ocasional.")
        elif second_licence and not second_birth and "second_driver_birth_date" not in self.errors:
            errors["second_driver_birth_date"] = _("Indique la fecha de nacimiento del conductor ocasional.")
        else:
            message = _licence_error(second_birth, second_licence)
            if message:
                errors["second_driver_licence_date"] = message
        if errors:
            raise ValidationError(errors)
        return data


def _clean_birth_date(value: datetime.date) -> datetime.date:
    check_not_future(value, _("La fecha de nacimiento no puede ser posterior a hoy."))
    if value < OLDEST_BIRTH:
        raise ValidationError(_("La fecha de nacimiento no puede ser anterior a 1900."))
    if age_at(value, today()) < 18:
        raise ValidationError(_("El conductor debe ser mayor de edad (18 años)."))
    return value


def _licence_error(birth: datetime.date | None, licence: datetime.date | None) -> str:
    """Why a licence date does not fit the driver's birth date ('' when it does)."""
    if not birth or not licence:
        return ""
    if licence < birth:
        return _("La fecha del permiso no puede ser anterior a la fecha de nacimiento.")
    if age_at(birth, licence) < 18:
        return _("El permiso B se obtiene a partir de los 18 años: la fecha del permiso debe ser igual o "
                 "posterior al %(date)s.") % {"date": add_years(birth, 18).strftime("%d/%m/%Y")}
    return ""
