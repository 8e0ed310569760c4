"""The month report of the working-time record as CSV (one row per day, then the totals) and as PDF
(xhtml2pdf, nothing remote is loaded), for the employee, their manager, HR or an inspection."""
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from xhtml2pdf import pisa

from apps.accounting.services.invoices_pdf import _brokerage, _no_remote
from apps.hr.errors import HRError
from apps.hr.selectors_time import hm

TEMPLATE = "hr/time/report_pdf.html"


def _time(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def _records_text(day) -> str:
    return " · ".join(f"{record.get_kind_display()} {_time(record.at)}"
                      + (" (" + _("corrección") + ")" if record.source == "correction" else "")
                      for record in day.records)


def report_csv_rows(report) -> list[list[str]]:
    rows = [[_("Fecha"), _("Entrada"), _("Salida"), _("Pausas"), _("Trabajado"), _("Ordinarias"), _("Extra"),
             _("Fichajes"), _("Observaciones")]]
    for day in report.days:
        notes = [text for text, shown in ((day.holiday, day.holiday), (_("corregido"), day.corrected),
                                          (_("incompleto"), day.incomplete)) if shown]
        rows.append([day.date.strftime("%d/%m/%Y"), _time(day.first_in), _time(day.last_out), day.breaks, day.worked,
                     hm(day.ordinary_minutes), day.extra, _records_text(day), "; ".join(notes)])
    rows.append([_("Total"), "", "", report.breaks, report.worked, report.ordinary, report.extra,
                 _("%d días trabajados") % report.days_worked, signoff_note(report)])
    return rows


def signoff_note(report) -> str:
    if report.signoff is None:
        return _("sin firmar")
    signed = timezone.localtime(report.signoff.signed_at).strftime("%d/%m/%Y")
    if report.signoff_differs:
        return _("firmado con otros totales: %(worked)s h en %(days)d días el %(date)s") % {
            "worked": report.signed_worked, "days": report.signoff.days_worked, "date": signed}
    return _("firmado el %s") % signed


def report_pdf(report) -> bytes:
    context = {"brokerage": _brokerage(), "report": report, "employee": report.employee,
               "rows": report_csv_rows(report)[1:-1], "signoff_note": signoff_note(report),
               "printed": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    buffer = BytesIO()
    result = pisa.CreatePDF(render_to_string(TEMPLATE, context), dest=buffer, encoding="utf-8",
                            link_callback=_no_remote)
    if result.err:
        raise HRError(_("No se pudo generar el PDF del registro de jornada."), code="hr_time_pdf")
    return buffer.getvalue()


def report_file_name(report, extension: str) -> str:
    return f"registro-jornada-{report.year}-{report.month:02d}-{report.employee.code}.{extension}".replace("/", "-")
