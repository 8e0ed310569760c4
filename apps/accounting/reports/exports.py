"""One table, three formats: CSV (Excel-friendly: UTF-8 BOM, semicolons, decimal comma), XLSX
(openpyxl, numbers as numbers) and PDF (xhtml2pdf from an HTML template).

A report is given as a title, a subtitle (the period and filters), columns and an iterable of
rows (lists of values: str, Decimal, date or None); `footer` rows (totals) go last in bold.
"""
import csv
import datetime
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from apps.accounting.errors import AccountingError
from apps.core.money import format_eur

FORMATS = ("csv", "xlsx", "pdf")
PDF_MAX_ROWS = 5000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False
    width: int = 14


@dataclass
class Report:
    title: str
    subtitle: str
    columns: list[Column]
    rows: object  # iterable of lists
    footer: list | None = None
    filename: str = "informe"


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _pdf_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_eur(value)[:-2]
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


class _Echo:
    def write(self, value):
        return value


def csv_response(report: Report) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        yield writer.writerow([column.label for column in report.columns])
        for row in report.rows:
            yield writer.writerow([_csv_cell(value) for value in row])
        if report.footer:
            yield writer.writerow([_csv_cell(value) for value in report.footer])

    response = StreamingHttpResponse(lines(), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.csv"'
    return response


def xlsx_response(report: Report) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=report.title[:31].replace("/", "-"))
    for index, column in enumerate(report.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)

    def cells(values, *, font=None):
        out = []
        for column, value in zip(report.columns, values, strict=False):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
            if font:
                cell.font = font
            out.append(cell)
        return out

    title = WriteOnlyCell(sheet, value=report.title)
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    sheet.append([report.subtitle])
    sheet.append([])
    sheet.append(cells([column.label for column in report.columns], font=bold))
    for row in report.rows:
        sheet.append(cells(row))
    if report.footer:
        sheet.append(cells(report.footer, font=bold))
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.xlsx"'
    return response


def pdf_response(report: Report, *, tenant_name: str = "") -> HttpResponse:
    from xhtml2pdf import pisa

    rows = []
    for index, row in enumerate(report.rows):
        if index >= PDF_MAX_ROWS:
            raise AccountingError(_("Hay más de %s filas: acote el periodo o exporte a CSV o Excel.") % PDF_MAX_ROWS)
        rows.append([(_pdf_cell(value), column.numeric) for column, value in zip(report.columns, row, strict=False)])
    html = render_to_string("accounting/books/pdf.html", {
        "title": report.title, "subtitle": report.subtitle, "tenant_name": tenant_name,
        "columns": report.columns, "rows": rows,
        "footer": [(_pdf_cell(v), c.numeric) for c, v in zip(report.columns, report.footer, strict=False)]
        if report.footer else None,
    })
    buffer = BytesIO()
    result = pisa.CreatePDF(html, dest=buffer, encoding="utf-8")
    if result.err:
        raise AccountingError(_("No se ha podido generar el PDF."))
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["pdf"])
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.pdf"'
    return response


def export_response(fmt: str, report: Report, *, tenant_name: str = "") -> HttpResponse:
    if fmt == "csv":
        return csv_response(report)
    if fmt == "xlsx":
        return xlsx_response(report)
    if fmt == "pdf":
        return pdf_response(report, tenant_name=tenant_name)
    raise AccountingError(_("Formato de exportación desconocido: %s.") % fmt, field="format")
