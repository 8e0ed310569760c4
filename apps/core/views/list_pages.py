"""Helpers of staff list and form pages: the generic list (filters, sort, CSV/XLSX, htmx table swap) and a
DomainError put back on its form field."""
import dataclasses

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.text import slugify

from apps.core.exports import csv_response, xlsx_response
from apps.core.forms import style_form
from apps.core.tables import columns_for, display_value

PAGE_SIZE = 25


def list_page(request, queryset, *, model, fields, sortable, title, list_url, row_url, filterset=None,
              create_url="", can_create=False, search_fields=(), wrapper_id="", query=""):
    order = request.GET.get("o", "")
    if order.lstrip("-") in sortable:
        queryset = queryset.order_by(order, "pk")
    columns = [dataclasses.replace(c, sortable=c.name in sortable) for c in columns_for(model, fields)]
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return (csv_response if export == "csv" else xlsx_response)(queryset, columns, slugify(str(title)))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("o", None)
    context = {
        "title": title, "list_url": list_url, "create_url": create_url, "can_create": can_create,
        "filterset": filterset, "columns": columns, "page": page, "query": query, "order": order,
        "rows": [(row_url(obj), [(display_value(obj, c.name), c.numeric) for c in columns])
                 for obj in page.object_list],
        "querystring": params.urlencode(), "sort_querystring": sort_params.urlencode(),
        "resource": {"search_fields": list(search_fields)}, "list_wrapper_id": wrapper_id,
    }
    template = "core/generic/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "record-table":
        template = "core/generic/_table.html"
    return render(request, template, context)


def form_error(form, exc) -> int:
    """Puts a DomainError on its field (or the form) and returns the HTTP status for the page."""
    if exc.field in form.fields and not form.fields[exc.field].widget.is_hidden:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)
    return exc.status if exc.status >= 400 else 400


def styled(form):
    style_form(form)
    return form
