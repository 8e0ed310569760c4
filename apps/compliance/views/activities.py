"""/cumplimiento/actividades/: the register of processing activities (art. 30 RGPD): list, PDF and CSV,
new and edit (audited, versioned)."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from aitcore.registry import MenuEntry
from apps.audit.selectors import history_for
from apps.compliance.exports import activities_csv, activities_pdf
from apps.compliance.forms import ActivityForm
from apps.compliance.models import ProcessingActivity
from apps.compliance.services.activities import processing_activity_create, processing_activity_update
from apps.compliance.views._common import SECTION, needs
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error

TITLE = _l("Registro de actividades")
VIEW, ADD, CHANGE = ("compliance.view_processingactivity", "compliance.add_processingactivity",
                     "compliance.change_processingactivity")


@needs(VIEW)
@require_GET
def activity_list_view(request):
    activities = ProcessingActivity.objects.order_by("order", "name")
    if request.GET.get("inactivas") != "1":
        activities = activities.filter(is_active=True)
    export = request.GET.get("export")
    if export == "csv":
        return activities_csv(list(activities))
    if export == "pdf":
        return activities_pdf(list(activities))
    return render(request, "compliance/activities/list.html", {
        "title": TITLE, "activities": activities, "can_add": request.user.has_perm(ADD),
        "can_change": request.user.has_perm(CHANGE), "show_inactive": request.GET.get("inactivas") == "1"})


def _save(request, activity=None):
    form = ActivityForm(request.POST or None, instance=activity)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ActivityForm.Meta.fields}
        try:
            if activity is None:
                activity = processing_activity_create(actor=request.user, data=data)
            else:
                activity = processing_activity_update(actor=request.user, activity=activity, data=data,
                                                      expected_version=form.cleaned_data.get("version"))
        except DomainError as exc:
            status = form_error(form, exc)
        else:
            messages.success(request, _("Actividad «%s» guardada.") % activity.name)
            return redirect(reverse("compliance:activity-list"))
    elif request.method == "POST":
        status = 400
    return render(request, "compliance/activities/form.html", {
        "title": activity.name if activity else _("Nueva actividad de tratamiento"), "form": form,
        "activity": activity, "history": history_for(activity) if activity else []}, status=status)


@needs(VIEW, ADD)
@require_http_methods(["GET", "POST"])
def activity_new_view(request):
    return _save(request)


@needs(VIEW, CHANGE)
@require_http_methods(["GET", "POST"])
def activity_edit_view(request, pk):
    return _save(request, get_object_or_404(ProcessingActivity, pk=pk))


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="compliance:activity-list", icon="bi-journal-check",
                  permission=VIEW, order=10, also_active=("compliance:activity-new", "compliance:activity-edit"))]

urlpatterns = [
    path("actividades/", activity_list_view, name="activity-list"),
    path("actividades/nueva/", activity_new_view, name="activity-new"),
    path("actividades/<int:pk>/", activity_edit_view, name="activity-edit"),
]
