"""Party import pages: upload → dry-run report (line, column, message) → «Aplicar».
Thin doors into apps.crm.services.imports."""
import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.permissions import visible_to
from apps.crm.choices import ImportStatus
from apps.crm.forms.imports import ImportUploadForm
from apps.crm.models import ImportBatch
from apps.crm.services.imports import COLUMNS, batch_source, import_apply_start, import_check, import_job

ERRORS_PER_PAGE = 200
WARNINGS_SHOWN = 200  # likely duplicates listed on the page (all of them in the CSV)
EXAMPLE_ROW = ["persona", "12345678Z", "Lucía", "Muñoz", "García", "", "31/12/1980", "lucia@example.es",
               "600 112 233", "Calle de Colón, 12", "46004", "Valencia", "Valencia", "ES9121000418450200051332",
               "VIP, Cliente digital"]


def _require(user) -> None:
    if not user.has_perm("crm.add_party"):
        raise PermissionDenied(_("Su rol no permite importar clientes."))


def _batches(user):
    return visible_to(ImportBatch.objects.select_related("uploaded_by"), user, "uploaded_by")


def _batch(request, pk) -> ImportBatch:
    try:
        return _batches(request.user).get(pk=pk)
    except ImportBatch.DoesNotExist as exc:
        raise Http404(_("No existe o no tiene acceso a esta importación.")) from exc


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    _require(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = import_check(actor=request.user, file_name=upload.name, content=upload.read())
        return redirect("crm:import-detail", pk=batch.pk)
    context = {"title": _("Importar clientes"), "form": form, "columns": COLUMNS,
               "batches": list(_batches(request.user).order_by("-created_at")[:20])}
    return render(request, "crm/imports/list.html", context)


@login_required
@require_GET
def import_detail(request, pk):
    _require(request.user)
    batch = _batch(request, pk)
    if request.GET.get("export") == "csv":
        return _errors_csv(batch)
    errors = batch.errors or []
    warnings = batch.warnings or []
    job = import_job(batch)
    page = Paginator(errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "title": _("Importar clientes"), "batch": batch, "source": batch_source(batch), "page": page,
        "error_count": len(errors), "lines_with_errors": len({e.get("line") for e in errors}),
        "warnings": warnings[:WARNINGS_SHOWN], "warning_count": len(warnings),
        "lines_with_warnings": len({w.get("line") for w in warnings}),
        "job": job, "can_apply": batch.status == ImportStatus.CHECKED and (job is None or job.is_finished),
    }
    return render(request, "crm/imports/detail.html", context)


@login_required
@require_POST
def import_apply_view(request, pk):
    _require(request.user)
    batch = _batch(request, pk)
    try:
        outcome = import_apply_start(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if isinstance(outcome, ImportBatch):
            messages.success(request, _("Importación aplicada: %(n)d clientes creados.") % {"n": outcome.created_parties})
        else:
            messages.info(request, _("Importación en marcha: puede seguir el progreso en esta página."))
    return redirect("crm:import-detail", pk=batch.pk)


class _Echo:
    def write(self, value):
        return value


def _errors_csv(batch: ImportBatch):
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():
        yield "\ufeff"
        yield writer.writerow([_("Línea"), _("Columna"), _("Error")])
        for error in batch.errors or []:
            yield writer.writerow([error.get("line"), error.get("field"), error.get("message")])
        for warning in batch.warnings or []:
            yield writer.writerow([warning.get("line"), warning.get("field"), _("Aviso: %(message)s") % {
                "message": warning.get("message")}])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="errores-importacion-{batch.pk}.csv"'
    return response


@login_required
@require_GET
def import_template(request):
    """An empty file with the expected columns and one example row (UTF-8 with BOM, «;»)."""
    _require(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="plantilla-clientes.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerow(EXAMPLE_ROW)
    return response


urlpatterns = [
    path("importaciones/", import_list, name="import-list"),
    path("importaciones/plantilla.csv", import_template, name="import-template"),
    path("importaciones/<int:pk>/", import_detail, name="import-detail"),
    path("importaciones/<int:pk>/aplicar/", import_apply_view, name="import-apply"),
]
