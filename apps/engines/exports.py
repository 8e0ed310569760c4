"""Downloads of a result table as CSV (semicolon, UTF-8 with BOM) or XLSX."""
import csv
import io

from django.http import HttpResponse


def table_csv(table: dict, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(table.get("columns", []))
    for row in table.get("rows", []):
        writer.writerow(["" if v is None else (str(v).replace(".", ",") if isinstance(v, float) else v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def table_xlsx(table: dict, filename: str) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(table.get("title", "Datos"))[:31].replace("/", "-") or "Datos")
    sheet.append([str(c) for c in table.get("columns", [])])
    for row in table.get("rows", []):
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
