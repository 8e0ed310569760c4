"""Admin: the yearly hours each distribution level requires (editable; saved and audited through
training_requirement_update), the training courses (saved through course_create / course_update, whose checks
run in the form's clean() so errors show beside the fields) and the completed training, read-only with an action
that deletes through the service. Attendance is added on the course's page (with its certificate)."""
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.errors import DomainError
from apps.hr.admin.employees import _ReadOnlyAdmin, _run
from apps.hr.choices import DistributionRole
from apps.hr.models import TrainingCourse, TrainingRecord, TrainingRequirement
from apps.hr.services.training import (COURSE_FIELDS, course_create, course_update, course_values_clean,
                                       training_record_delete, training_requirement_update)


def _adopt(obj, saved) -> None:
    obj.pk = saved.pk
    obj.refresh_from_db()


class TrainingRequirementForm(forms.ModelForm):
    class Meta:
        model = TrainingRequirement
        fields = ["level", "yearly_hours"]

    def clean_level(self):
        level = self.cleaned_data.get("level")
        if level == DistributionRole.NONE:
            raise ValidationError(_("Quien no participa en la distribución no tiene formación exigida."))
        return level

    def clean_yearly_hours(self):
        hours = self.cleaned_data.get("yearly_hours")
        if hours is not None and hours < 0:
            raise ValidationError(_("Las horas no pueden ser negativas."))
        return hours


@admin.register(TrainingRequirement)
class TrainingRequirementAdmin(admin.ModelAdmin):
    form = TrainingRequirementForm
    list_display = ["level", "yearly_hours"]

    def get_readonly_fields(self, request, obj=None):
        return ["level"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # set the hours to 0 instead: the history stays in the audit log

    def save_model(self, request, obj, form, change):
        _adopt(obj, training_requirement_update(actor=request.user, level=obj.level,
                                                yearly_hours=form.cleaned_data["yearly_hours"]))


class TrainingCourseForm(forms.ModelForm):
    class Meta:
        model = TrainingCourse
        fields = list(COURSE_FIELDS)

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                course_values_clean(dict(data), course=self.instance if self.instance.pk else None)
            except DomainError as exc:
                raise ValidationError({exc.field: exc.message} if exc.field in self.fields else exc.message) \
                    from None
        return data

    def validate_constraints(self, exclude=None):
        pass  # the service's checks above give the readable messages


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    form = TrainingCourseForm
    list_display = ["title", "provider", "hours", "modality", "counts_for_distribution", "start_date", "end_date"]
    list_filter = ["counts_for_distribution", "modality"]
    search_fields = ["title", "provider"]
    date_hierarchy = "start_date"

    def has_delete_permission(self, request, obj=None):
        return False  # completed training points to its course

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in COURSE_FIELDS}
        if change:
            saved = course_update(actor=request.user, course=TrainingCourse.objects.get(pk=obj.pk), **values)
        else:
            saved = course_create(actor=request.user, **values)
        _adopt(obj, saved)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(_ReadOnlyAdmin):
    list_display = ["employee", "course", "completed_on", "hours", "certificate", "created_by"]
    list_filter = ["course__counts_for_distribution", "course"]
    search_fields = ["employee__code", "employee__last_name", "course__title"]
    list_select_related = ["employee", "course", "certificate", "created_by"]
    date_hierarchy = "completed_on"
    actions = ["remove"]

    @admin.action(description=_l("Eliminar la formación seleccionada"), permissions=["view"])
    def remove(self, request, queryset):
        _run(self, request, queryset, lambda record: training_record_delete(actor=request.user, record=record),
             _("Registros eliminados: %d."))
