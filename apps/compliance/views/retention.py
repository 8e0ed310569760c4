"""/cumplimiento/conservacion/: the retention rules (edit), «qué se anonimizaría hoy» (dry run: expired records
per rule, those held, a sample with «aplicar ahora» and «retener»), legal holds (new, release), the runs' log
and «ejecutar ahora» (a tracked job with live progress)."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.compliance.forms import HoldForm, RuleForm
from apps.compliance.models import LegalHold, RetentionRule, RetentionRun
from apps.compliance.services.holds import legal_hold_place, legal_hold_release
from apps.compliance.services.retention import retention_apply_record, retention_preview, retention_rule_save
from apps.compliance.services.retention_types import TYPES
from apps.compliance.views._common import SECTION, needs, run_command
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error

TITLE = _l("Conservación de datos")
VIEW, CHANGE = "compliance.view_retentionrule", "compliance.change_retentionrule"
HOLD_VIEW, HOLD_ADD, HOLD_CHANGE = ("compliance.view_legalhold", "compliance.add_legalhold",
                                    "compliance.change_legalhold")


@needs(VIEW)
@require_GET
def retention_view(request):
    today = timezone.localdate()
    return render(request, "compliance/retention/overview.html", {
        "title": TITLE, "rules": RetentionRule.objects.order_by("record_type"), "preview": retention_preview(today=today),
        "today": today, "holds": LegalHold.objects.active(today).select_related("content_type", "held_by")[:50],
        "runs": RetentionRun.objects.select_related("actor")[:10], "can_change": request.user.has_perm(CHANGE),
        "can_hold": request.user.has_perm(HOLD_ADD), "can_release": request.user.has_perm(HOLD_CHANGE)})


@needs(VIEW, CHANGE)
@require_http_methods(["GET", "POST"])
def rule_edit_view(request, pk=None):
    rule = get_object_or_404(RetentionRule, pk=pk) if pk else None
    form = RuleForm(request.POST or None, instance=rule)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in RuleForm.Meta.fields}
            try:
                retention_rule_save(actor=request.user, data=data, rule=rule,
                                    expected_version=form.cleaned_data.get("version"))
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Regla de conservación guardada."))
                return redirect(reverse("compliance:retention"))
    return render(request, "compliance/retention/rule_form.html", {
        "title": str(rule) if rule else _("Nueva regla de conservación"), "form": form, "rule": rule}, status=status)


@needs(VIEW, CHANGE)
@require_POST
def apply_view(request, pk, object_id):
    rule = get_object_or_404(RetentionRule, pk=pk, is_active=True)
    obj = get_object_or_404(TYPES[rule.record_type].model()._default_manager, pk=object_id)
    label = str(obj)
    return run_command(request, lambda: retention_apply_record(actor=request.user, rule=rule, obj=obj),
                       _("«%(obj)s»: %(action)s.") % {"obj": label, "action": rule.get_action_display().lower()},
                       reverse("compliance:retention"))


@needs(VIEW, CHANGE)
@require_POST
def run_start_view(request):
    from apps.compliance.tasks import retention_run_job
    from apps.jobs.services.runs import job_start

    job = job_start(actor=request.user, task=retention_run_job, label=_("Conservación de datos: ejecutar las reglas"))
    return redirect("ui:jobs-jobrun-detail", pk=job.pk)


@needs(VIEW)
@require_GET
def run_list_view(request):
    page = Paginator(RetentionRun.objects.select_related("actor"), 50).get_page(request.GET.get("page"))
    return render(request, "compliance/retention/runs.html", {"title": _("Ejecuciones de conservación"),
                                                              "page": page})


@needs(VIEW)
@require_GET
def run_detail_view(request, pk):
    run = get_object_or_404(RetentionRun.objects.select_related("actor"), pk=pk)
    labels = {code: spec.code.label for code, spec in TYPES.items()}
    rows = [(labels.get(code, code), row) for code, row in (run.totals or {}).items()]
    return render(request, "compliance/retention/run_detail.html", {
        "title": _("Ejecución de conservación del %s") % run.today.strftime("%d/%m/%Y"), "run": run, "rows": rows})


@needs(HOLD_VIEW, HOLD_ADD)
@require_http_methods(["GET", "POST"])
def hold_new_view(request):
    initial = {"kind": request.GET.get("kind", "crm.party"), "object_id": request.GET.get("id")}
    form = HoldForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                legal_hold_place(actor=request.user, target=data["target"], reason=data["reason"], until=data["until"])
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Retención legal registrada: la conservación no tocará el registro."))
                return redirect(reverse("compliance:retention"))
    return render(request, "compliance/retention/hold_form.html", {"title": _("Nueva retención legal"), "form": form},
                  status=status)


@needs(HOLD_VIEW, HOLD_CHANGE)
@require_POST
def hold_release_view(request, pk):
    hold = get_object_or_404(LegalHold, pk=pk)
    return run_command(request, lambda: legal_hold_release(actor=request.user, hold=hold),
                       _("Retención legal levantada."), reverse("compliance:retention"))


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="compliance:retention", icon="bi-hourglass-split",
                  permission=VIEW, order=20,
                  also_active=("compliance:rule-new", "compliance:rule-edit", "compliance:hold-new",
                               "compliance:run-list", "compliance:run-detail"))]

urlpatterns = [
    path("conservacion/", retention_view, name="retention"),
    path("conservacion/reglas/nueva/", rule_edit_view, name="rule-new"),
    path("conservacion/reglas/<int:pk>/", rule_edit_view, name="rule-edit"),
    path("conservacion/reglas/<int:pk>/aplicar/<int:object_id>/", apply_view, name="retention-apply"),
    path("conservacion/ejecutar/", run_start_view, name="run-start"),
    path("conservacion/ejecuciones/", run_list_view, name="run-list"),
    path("conservacion/ejecuciones/<int:pk>/", run_detail_view, name="run-detail"),
    path("conservacion/retenciones/nueva/", hold_new_view, name="hold-new"),
    path("conservacion/retenciones/<int:pk>/levantar/", hold_release_view, name="hold-release"),
]
