"""Pages under /motores/: the catalogue by category, an engine's form, a run (live progress, «Cancelar»,
result with charts and downloads), the history of runs. Thin: everything goes through the services."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.core.forms import style_form
from apps.engines import registry as engines
from apps.engines.choices import Trigger
from apps.engines.exports import table_csv, table_xlsx
from apps.engines.params import form_params
from apps.engines.selectors import engine_catalog, run_for, runs_visible_to
from apps.engines.services.runs import can_run, engine_run_cancel, engine_run_start
from apps.insurance.views.quotes import needs

TITLE = _l("Motores de cálculo")
RUN = "engines.run_engine"
SECTION = _l("Analítica")


def _engine(key: str):
    try:
        return engines.get(key)
    except DomainError:
        raise Http404(key) from None


@needs(RUN)
def index(request):
    return render(request, "engines/index.html", {"title": TITLE, "categories": engine_catalog(request.user)})


@needs(RUN)
@require_http_methods(["GET", "POST"])
def engine_form(request, key: str):
    engine = _engine(key)
    if not can_run(request.user, engine):
        raise PermissionDenied(_("Su rol no permite ejecutar este motor."))
    form = engine.form_class(request.POST or None, request.FILES or None)
    style_form(form)
    if request.method == "POST" and form.is_valid():
        try:
            run, created = engine_run_start(actor=request.user, engine_key=engine.key,
                                            params=form_params(form.cleaned_data), trigger=Trigger.PAGE)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if not created:
                messages.info(request, _("Ya había un cálculo igual en curso con los mismos datos: se muestra ese."))
            return redirect("engines:run", pk=run.pk)
    recent = runs_visible_to(request.user).filter(engine_key=engine.key)[:5]
    return render(request, "engines/form.html", {"title": engine.label, "engine": engine, "form": form,
                                                 "recent": recent}, status=400 if form.errors else 200)


@needs(RUN)
def run_detail(request, pk: int):
    run = run_for(request.user, pk)
    if run is None:
        raise Http404
    engine = next((e for e in engines.all() if e.key == run.engine_key), None)
    result = run.result if run.is_final else None
    return render(request, "engines/run.html", {
        "title": run.engine_label, "run": run, "job": run.job, "engine": engine, "result": result,
        "can_cancel": run.job.can_cancel and (run.user_id == request.user.pk or request.user.has_perm("jobs.change_jobrun")),
        "result_template": engine.result_template if engine else "engines/_result.html",
        "status_url": reverse("api:engine-run-detail", args=[run.pk])})


@needs(RUN)
def run_download(request, pk: int, table: str, fmt: str):
    run = run_for(request.user, pk)
    if run is None or not run.is_final:
        raise Http404
    found = next((t for t in run.result.get("tables", []) if t.get("key") == table), None)
    if found is None or fmt not in ("csv", "xlsx"):
        raise Http404
    filename = f"{run.engine_key.replace('.', '-')}-{run.pk}-{table}"
    return table_csv(found, filename) if fmt == "csv" else table_xlsx(found, filename)


@needs(RUN)
@require_POST
def run_cancel(request, pk: int):
    run = run_for(request.user, pk)
    if run is None:
        raise Http404
    try:
        engine_run_cancel(actor=request.user, run=run)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cálculo cancelado."))
    return redirect("engines:run", pk=run.pk)


@needs(RUN)
def history(request):
    runs = runs_visible_to(request.user)
    key = request.GET.get("motor", "")
    if key:
        runs = runs.filter(engine_key=key)
    page = Paginator(runs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "engines/history.html", {"title": _("Historial de cálculos"), "page": page,
                                                    "engines": engines.all(), "selected": key})


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="engines:index", icon="bi-calculator", permission=RUN,
                  order=40, also_active=("engines:history",))]

urlpatterns = [
    path("", index, name="index"),
    path("historial/", history, name="history"),
    path("ejecuciones/<int:pk>/", run_detail, name="run"),
    path("ejecuciones/<int:pk>/cancelar/", run_cancel, name="run-cancel"),
    path("ejecuciones/<int:pk>/tablas/<slug:table>.<str:fmt>", run_download, name="run-download"),
    path("<str:key>/", engine_form, name="form"),
]
