"""CSV (Excel-friendly: UTF-8 BOM, semicolons, decimal comma) and XLSX of one chart's data: one row
per label, one column per dataset, the period in the file name."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.analytics.metrics import ChartData, Metric
from apps.analytics.periods import Period


def table(metric: Metric, data: ChartData) -> tuple[list[str], list[list]]:
    headers = [_("Concepto"), *(str(s.label) for s in data.series)]
    return headers, [[str(row[0]), *row[1:]] for row in data.rows()]


def filename(metric: Metric, period: Period, ext: str) -> str:
    return f"{metric.key}-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.{ext}"


def _cell(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def csv_response(metric: Metric, period: Period, data: ChartData) -> HttpResponse:
    headers, rows = table(metric, data)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(metric, period, "csv")}"'
    return response


def xlsx_response(metric: Metric, period: Period, data: ChartData) -> HttpResponse:
    headers, rows = table(metric, data)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = metric.key[:31]
    sheet.append([str(metric.title), period.label])
    sheet["A1"].font = Font(bold=True)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["A"].width = max(12, min(40, max((len(str(r[0])) for r in rows), default=10) + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename(metric, period, "xlsx")}"'
    return response
