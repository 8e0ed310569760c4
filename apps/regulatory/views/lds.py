"""Page «Obligaciones LDS» (/regulatorio/lds/): counts per duty of the live policies in scope and the
list of policies missing any duty (or the chosen one), with filters (line, insurer, comercial, effect
dates) and CSV/XLSX exports. Thin: reads come from apps.regulatory.selectors_lds."""
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from aitcore.registry import MenuEntry
from apps.core.exports import csv_response, xlsx_response
from apps.regulatory.choices import EVIDENCE_SHORT, EvidenceKind
from apps.regulatory.forms import ComplianceFilterForm
from apps.regulatory.selectors_lds import compliance_counts, flag, missing_policies
from apps.regulatory.views._common import SECTION, VIEW_LDS, ExportColumn, needs

TITLE = _l("Obligaciones LDS")
PAGE_SIZE = 50


def export_columns() -> list[ExportColumn]:
    columns = [("number", _l("Póliza")), ("insurer", _l("Compañía")), ("line", _l("Ramo")),
               ("product", _l("Producto")), ("policyholder", _l("Tomador")), ("manager_email", _l("Comercial")),
               ("start_date", _l("Efecto")), ("state", _l("Estado")),
               *[(flag(kind), EVIDENCE_SHORT[kind]) for kind in EvidenceKind]]
    return [ExportColumn(name, str(label)) for name, label in columns]


@needs(VIEW_LDS)
@require_GET
def dashboard_view(request):
    form = ComplianceFilterForm(request.GET or None)
    filters = form.filters()
    policies = missing_policies(request.user, filters)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        response = csv_response if export == "csv" else xlsx_response
        return response(policies, export_columns(), "obligaciones-lds")
    page = Paginator(policies, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"policy": policy, "duties": [{"kind": kind.value, "label": EVIDENCE_SHORT[kind],
                                           "done": getattr(policy, flag(kind))} for kind in EvidenceKind]}
            for policy in page.object_list]
    querystring = request.GET.copy()
    querystring.pop("export", None)
    querystring.pop("page", None)
    return render(request, "regulatory/lds/dashboard.html", {
        "title": TITLE, "form": form, "counts": compliance_counts(request.user, filters), "page": page, "rows": rows,
        "kinds": [{"kind": kind.value, "label": EVIDENCE_SHORT[kind]} for kind in EvidenceKind],
        "missing": filters.missing, "querystring": querystring.urlencode()})


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="regulatory:lds", icon="bi-clipboard2-check",
                  permission=VIEW_LDS, order=10)]

urlpatterns = [path("lds/", dashboard_view, name="lds")]
