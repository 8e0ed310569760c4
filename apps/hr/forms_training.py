"""Forms of the training pages. They only collect values: the rules (hours, dates, duplicates) are
services.training's, whose refusals are put back on the field."""
from django import forms
from django.utils.translation import gettext_lazy as _l

from apps.hr.choices import DistributionRole, TrainingModality
from apps.hr.models import Department, Employee

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEVELS = [level for level in DistributionRole if level != DistributionRole.NONE]


def _hours_field(label, **kwargs):
    return forms.DecimalField(label=label, max_digits=6, decimal_places=2, localize=True,
                              widget=forms.TextInput(attrs={"inputmode": "decimal"}), **kwargs)


class TrainingCourseForm(forms.Form):
    title = forms.CharField(label=_l("Curso"), max_length=200)
    provider = forms.CharField(label=_l("Entidad formadora"), max_length=200)
    hours = _hours_field(_l("Horas"))
    modality = forms.ChoiceField(label=_l("Modalidad"), choices=TrainingModality.choices,
                                 initial=TrainingModality.ONLINE)
    counts_for_distribution = forms.BooleanField(label=_l("Computa como formación de distribución (LDS)"),
                                                 required=False, initial=True)
    start_date = forms.DateField(label=_l("Inicio"), widget=DATE, required=False)
    end_date = forms.DateField(label=_l("Fin"), widget=DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TrainingAttendanceForm(forms.Form):
    employee = forms.ModelChoiceField(label=_l("Persona"), queryset=Employee.objects.none())
    completed_on = forms.DateField(label=_l("Finalizado el"), widget=DATE)
    hours = _hours_field(_l("Horas acreditadas"), required=False,
                         help_text=_l("En blanco: las horas del curso."))
    certificate_file = forms.FileField(label=_l("Certificado (opcional)"), required=False,
                                       help_text=_l("PDF, PNG, JPEG, Word (DOCX) o Excel (XLSX); 10 MB como "
                                                    "máximo. Se guarda en los documentos de la persona."))

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Employee.objects.filter(is_active=True).order_by("last_name", "first_name")
        if course is not None:
            queryset = queryset.exclude(training_records__course=course)
        self.fields["employee"].queryset = queryset


class TrainingReportFilterForm(forms.Form):
    year = forms.IntegerField(label=_l("Año"), min_value=2000, max_value=2100, required=False)
    department = forms.ModelChoiceField(label=_l("Departamento"), queryset=Department.objects.order_by("name"),
                                        required=False, empty_label=_l("Todos"))
    level = forms.ChoiceField(label=_l("Nivel"), choices=[("", _l("Todos")), *DistributionRole.choices],
                              required=False)
    pending = forms.BooleanField(label=_l("Solo quien no cumple"), required=False)


class TrainingRequirementsForm(forms.Form):
    """The yearly hours of the three distribution levels (RD 287/2021 art. 11)."""

    def __init__(self, *args, current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for level in LEVELS:
            self.fields[level.value] = _hours_field(level.label, min_value=0, initial=current.get(level.value))
