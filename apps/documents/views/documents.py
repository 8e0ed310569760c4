"""«Documentos»: the list of every document the user may see (on records they may view; category, kind of
record, expiry; title search; ?key= one record's; CSV export) and a document's page with its versions, the new
version form, deletion and its history (uploads, versions, every download). Reads are apps.documents
selectors; a record the user may not view answers 404."""
import csv
import datetime
from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from aitcore.registry import MenuEntry
from apps.audit.selectors import history_for
from apps.core.errors import DomainError
from apps.core.tables import Column, format_value
from apps.documents.access import may_edit_record, split_key
from apps.documents.choices import XLSX_MIME
from apps.documents.filtersets import DocumentFilterSet, kind_label
from apps.documents.models import DocumentSettings
from apps.documents.panels import accept_attribute
from apps.documents.selectors import attach_records, document_for, documents_for

TITLE = _l("Documentos")
PAGE_SIZE = 25
EXPORT_CHUNK = 500
SORTABLE = {"title", "expires_on", "created_at"}
COLUMNS = [("title", _l("Título")), ("category", _l("Categoría")), ("record", _l("Registro")),
           ("kind", _l("Tipo de registro")), ("version", _l("Versión")), ("size", _l("Tamaño")),
           ("expires_on", _l("Caduca el")), ("created_by", _l("Subido por")), ("created_at", _l("Alta"))]


def _values(document) -> list:
    version = document.current_version
    return [document.title, document.category, document.record_label, kind_label(document.record_kind),
            f"v{version.number}" if version else None, filesizeformat(version.size) if version else None,
            document.expires_on, document.created_by, document.created_at]


def _filtered(request):
    queryset = documents_for(request.user)
    key = request.GET.get("key", "").strip()
    if key:
        parts = split_key(key)
        queryset = queryset.filter(content_type__app_label=parts[0].split(".")[0],
                                   content_type__model=parts[0].split(".")[1],
                                   object_id=parts[1]) if parts else queryset.none()
    filterset = DocumentFilterSet(request.GET or None, queryset=queryset)
    if filterset.is_bound and filterset.is_valid():
        queryset = filterset.qs
    query = request.GET.get("q", "").strip()
    order = request.GET.get("o", "")
    queryset = DocumentFilterSet.search(queryset, query)
    if order.lstrip("-") in SORTABLE:
        queryset = queryset.order_by(order, "pk")
    return queryset, filterset, query, order


def _export_rows(queryset):
    """Every row as values, EXPORT_CHUNK documents (and their records) per read."""
    start = 0
    while chunk := list(queryset[start:start + EXPORT_CHUNK]):
        for document in attach_records(chunk):
            yield _values(document)
        start += EXPORT_CHUNK


def _cell(value) -> str:
    return "" if value is None else format_value(value)


def _xlsx_cell(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value if value is None or isinstance(value, datetime.date) else str(value)


def _csv(queryset) -> StreamingHttpResponse:
    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        yield writer.writerow([str(label) for _name, label in COLUMNS])
        for values in _export_rows(queryset):
            yield writer.writerow([_cell(value) for value in values])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="documentos.csv"'
    return response


def _xlsx(queryset) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Documentos"
    sheet.append([str(label) for _name, label in COLUMNS])
    for values in _export_rows(queryset):
        sheet.append([_xlsx_cell(value) for value in values])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    response["Content-Disposition"] = 'attachment; filename="documentos.xlsx"'
    return response


@login_required
@require_GET
def document_list_view(request):
    queryset, filterset, query, order = _filtered(request)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return (_csv if export == "csv" else _xlsx)(queryset)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    documents = attach_records(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("o", None)
    context = {
        "title": TITLE, "list_url": reverse("documents:document-list"), "filterset": filterset, "page": page,
        "columns": [Column(name, str(label), name in SORTABLE, name == "size") for name, label in COLUMNS],
        "rows": [(reverse("documents:document-detail", args=[document.pk]),
                  [(format_value(value), index == 5) for index, value in enumerate(_values(document))])
                 for document in documents],
        "query": query, "order": order, "querystring": params.urlencode(),
        "sort_querystring": sort_params.urlencode(), "resource": {"search_fields": ["title"]},
        "list_wrapper_id": "document-list",
    }
    template = "core/generic/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "record-table":
        template = "core/generic/_table.html"
    return render(request, template, context)


@login_required
@require_GET
def document_detail_view(request, pk):
    try:
        document = document_for(request.user, pk)
    except DomainError as exc:
        raise Http404(exc.message) from None
    attach_records([document])
    config = DocumentSettings.current()
    return render(request, "documents/detail.html", {
        "title": document.title, "object": document, "versions": list(document.versions.all()),
        "can_edit": may_edit_record(request.user, document.record_key), "kind_label": kind_label(
            document.record_kind), "accept": accept_attribute(config), "max_mb": config.max_upload_mb,
        "history": history_for(document), "list_url": reverse("documents:document-list"),
        "back": request.get_full_path(), "empty_label": _("Sin categoría")})


MENU = [MenuEntry(section=TITLE, label=TITLE, url_name="documents:document-list", icon="bi-folder2-open", order=10)]

urlpatterns = [
    path("", document_list_view, name="document-list"),
    path("<int:pk>/", document_detail_view, name="document-detail"),
]
