"""Downloads: the register of processing activities and the customer service's yearly report as PDF
(xhtml2pdf, nothing remote loaded) and CSV (semicolon, UTF-8 with BOM, as the other exports)."""
import csv
import io
from io import BytesIO

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from xhtml2pdf import pisa

from apps.accounting.services.invoices_pdf import _brokerage, _no_remote
from apps.compliance.errors import ComplianceError
from apps.compliance.selectors import YearlyReport, report_csv_rows

ACTIVITY_COLUMNS = [
    ("name", _l("Actividad")), ("purpose", _l("Finalidad")), ("legal_basis", _l("Base jurídica")),
    ("legal_basis_detail", _l("Detalle de la base jurídica")), ("subject_categories", _l("Categorías de interesados")),
    ("data_categories", _l("Categorías de datos")), ("special_categories", _l("Categorías especiales")),
    ("special_categories_detail", _l("Categorías especiales tratadas")), ("recipients", _l("Destinatarios")),
    ("international_transfers", _l("Transferencias internacionales")), ("retention_period", _l("Plazo de conservación")),
    ("security_measures", _l("Medidas de seguridad")),
]


def _pdf(template: str, context: dict) -> bytes:
    buffer = BytesIO()
    html = render_to_string(template, {**context, "brokerage": _brokerage(), "generated": timezone.localtime()})
    result = pisa.CreatePDF(html, dest=buffer, encoding="utf-8", link_callback=_no_remote)
    if result.err:
        raise ComplianceError(_("No se pudo generar el PDF."), code="compliance_pdf")
    return buffer.getvalue()


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv(rows: list[list], header: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else str(value).replace(".", ",") if hasattr(value, "quantize")
                         else value for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _activity_value(activity, name: str):
    if name == "legal_basis":
        return activity.get_legal_basis_display()
    if name == "special_categories":
        return _("Sí") if activity.special_categories else _("No")
    if name == "international_transfers":
        return activity.international_transfers or _("Ninguna")
    return getattr(activity, name)


def activities_csv(activities) -> HttpResponse:
    rows = [[_activity_value(activity, name) for name, _label in ACTIVITY_COLUMNS] for activity in activities]
    content = _csv(rows, [str(label) for _name, label in ACTIVITY_COLUMNS])
    return _attachment(content, "text/csv; charset=utf-8", "registro-actividades-tratamiento.csv")


def activities_pdf(activities) -> HttpResponse:
    content = _pdf("compliance/activities/register_pdf.html", {"activities": activities})
    return _attachment(content, "application/pdf", "registro-actividades-tratamiento.pdf")


def yearly_report_csv(report: YearlyReport) -> HttpResponse:
    content = _csv(report_csv_rows(report), [_("Sección"), _("Concepto"), _("Número"), _("Importe reclamado"),
                                             _("Importe reconocido")])
    return _attachment(content, "text/csv; charset=utf-8", f"informe-atencion-cliente-{report.year}.csv")


def yearly_report_pdf(report: YearlyReport) -> HttpResponse:
    content = _pdf("compliance/complaints/report_pdf.html", {"report": report})
    return _attachment(content, "application/pdf", f"informe-atencion-cliente-{report.year}.pdf")
