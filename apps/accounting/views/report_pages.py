"""Shared shape of the «books» and «taxes» pages: a GET form over one report that the page shows
and that ?format=csv|xlsx|pdf exports (apps.accounting.reports.exports)."""
from django.contrib import messages

from apps.accounting.errors import AccountingError
from apps.accounting.reports.exports import FORMATS, export_response


def querystring(request, *drop: str) -> str:
    """The current query without the parameters in `drop`, to build pagination and export links."""
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


def export_format(request) -> str | None:
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def export(request, fmt, report, fallback):
    """The export, or `fallback()` (the page) with the reason when it cannot be produced (too many rows for PDF)."""
    try:
        tenant = getattr(request, "tenant", None)
        return export_response(fmt, report, tenant_name=getattr(tenant, "name", ""))
    except AccountingError as exc:
        messages.error(request, exc.message)
        return fallback()


def report_page(request, form, *, title, template, page, build):
    """The GET `form` (the page with its errors and status 400 when invalid); then `build(data, context)` puts
    what the page shows into `context` and returns a callable making the export's Report, called only when
    ?format= asks for one. `page(request, template, context, status=...)` renders the area's page."""
    context = {"title": title, "form": form}
    if not form.is_valid():
        return page(request, template, context, status=400)
    make_report = build(form.cleaned_data, context)
    fmt = export_format(request)
    if fmt:
        return export(request, fmt, make_report(), lambda: page(request, template, context))
    return page(request, template, context)
