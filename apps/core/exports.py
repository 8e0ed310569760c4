"""CSV (Excel-friendly: UTF-8 BOM, semicolons, decimal comma) and XLSX exports of a queryset."""
import csv
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.tables import export_value


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",") if value == value.quantize(Decimal("0.01")) else str(value).replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "Sí" if value else "No"
    return str(value)


def csv_response(queryset, columns, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():
        yield "\ufeff"
        yield writer.writerow([c.label for c in columns])
        for obj in queryset.iterator(chunk_size=2000) if not queryset._prefetch_related_lookups else queryset:
            yield writer.writerow([_csv_cell(export_value(obj, c.name)) for c in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(queryset, columns, filename: str) -> HttpResponse:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = filename[:31]
    sheet.append([c.label for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for obj in queryset:
        row = []
        for c in columns:
            value = export_value(obj, c.name)
            row.append(value if isinstance(value, (int, float, Decimal, date, datetime, bool)) or value is None else str(value))
        sheet.append(row)
    for column_cells in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column_cells[:200])
        sheet.column_dimensions[column_cells[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
