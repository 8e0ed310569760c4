"""The DEC of a year as files: CSV (one table, a column for the section), XLSX (a sheet per section
plus the checks) and PDF (xhtml2pdf from templates/regulatory/dec/pdf.html, nothing remote)."""
import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.regulatory.selectors_dec import DecReturn


def _sections(dec: DecReturn) -> list[tuple[str, list[str], list[list]]]:
    """(title, header, rows) per section; amounts as Decimal, counts as int."""
    ramo, insurer, code = _("Ramo DGSFP"), _("Compañía"), _("Clave DGSFP")
    return [
        (_("Primas intermediadas"), [ramo, insurer, code, _("Recibos"), _("Prima neta"), _("Prima total")],
         [[row.ramo_label, row.insurer, row.insurer_code, row.count, row.net, row.total] for row in dec.premiums]),
        (_("Comisiones"), [ramo, insurer, code, _("Importe")],
         [[row.ramo_label, row.insurer, row.insurer_code, row.amount] for row in dec.commissions]),
        (_("Recibos cobrados"), [ramo, insurer, code, _("Recibos"), _("Cobrado por la correduría"),
                                 _("Cobrado por la compañía"), _("Total")],
         [[row.ramo_label, row.insurer, row.insurer_code, row.count, row.net, row.total, row.amount]
          for row in dec.collected]),
        (_("Fondos de clientes al cierre"), [insurer, code, _("Saldo")],
         [[row.insurer, row.insurer_code, row.amount] for row in dec.funds]),
        (_("Cuadre con la contabilidad"), [_("Concepto"), _("DEC"), _("Contabilidad / registro"), _("Diferencia"),
                                           _("Origen")],
         [[check.label, check.dec, check.books, check.difference, check.source] for check in dec.checks]),
    ]


def _csv_cell(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return "" if value is None else str(value)


def dec_csv(dec: DecReturn) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for title, header, rows in _sections(dec):
        writer.writerow([title])
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])
        writer.writerow([])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dec-{dec.year}.csv"'
    return response


def dec_xlsx(dec: DecReturn) -> HttpResponse:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in _sections(dec):
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="dec-{dec.year}.xlsx"'
    return response


def dec_pdf(dec: DecReturn, *, brokerage: str = "") -> HttpResponse:
    from xhtml2pdf import pisa

    buffer = io.BytesIO()
    html = render_to_string("regulatory/dec/pdf.html", {"dec": dec, "sections": _sections(dec),
                                                        "brokerage": brokerage})
    result = pisa.CreatePDF(html, dest=buffer, encoding="utf-8", link_callback=lambda uri, rel: "")
    if result.err:
        raise RuntimeError("xhtml2pdf could not render the DEC")
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dec-{dec.year}.pdf"'
    return response
