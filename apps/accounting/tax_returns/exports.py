"""The tax pages' exports (CSV, Excel, PDF) as apps.accounting.reports.exports.Report tables."""
from django.utils.translation import gettext as _

from apps.accounting.choices import InvoiceKind
from apps.accounting.reports.exports import Column, Report
from apps.accounting.tax_returns.periods import TaxPeriod


def _subtitle(tp: TaxPeriod) -> str:
    return _("%(label)s · del %(a)s al %(b)s") % {"label": tp.label, "a": tp.date_from.strftime("%d/%m/%Y"),
                                                  "b": tp.date_to.strftime("%d/%m/%Y")}


def boxes_report(*, title: str, filename: str, tp: TaxPeriod, returns: list[tuple[str, list]]) -> Report:
    """One row per casilla: model, section, number, concept and value (numbers stay numbers)."""
    rows = [[model, section.title, f"[{box.number}]", box.label, box.value]
            for model, sections in returns for section in sections for box in section.boxes]
    return Report(title=title, subtitle=_subtitle(tp), filename=filename, rows=rows, columns=[
        Column(_("Modelo"), width=8), Column(_("Sección"), width=34), Column(_("Casilla"), width=9),
        Column(_("Concepto"), width=70), Column(_("Importe"), numeric=True, width=16)])


def withholding_detail_report(*, tp: TaxPeriod, detail: list[dict]) -> Report:
    rows = [["115" if row["category"] == "rent" else "111", row["category_label"], row["party_tax_id"],
             row["party_name"], row["taxes"], row["base"], row["withheld"]] for row in detail]
    return Report(title=_("Perceptores de los modelos 111 y 115"), subtitle=_subtitle(tp),
                  filename=f"perceptores-111-115-{tp.year}-{tp.code}", rows=rows, columns=[
                      Column(_("Modelo"), width=8), Column(_("Clave"), width=24), Column(_("NIF"), width=12),
                      Column(_("Perceptor"), width=40), Column(_("Retención"), width=12),
                      Column(_("Base"), numeric=True), Column(_("Retenido"), numeric=True)])


def vat_book_report(*, book: dict, tp: TaxPeriod) -> Report:
    received = book["kind"] == InvoiceKind.RECEIVED
    columns = [Column(_("Nº registro"), width=16), Column(_("Fecha registro"), width=11)] if received else []
    columns += [Column(_("Fecha expedición"), width=11), Column(_("Número"), width=18),
                Column(_("Rectifica a"), width=18), Column(_("NIF"), width=12), Column(_("Nombre"), width=36),
                Column(_("Base imponible"), numeric=True), Column(_("Tipo %"), numeric=True, width=8),
                Column(_("Cuota IVA"), numeric=True), Column(_("Tipo RE %"), numeric=True, width=8),
                Column(_("Cuota RE"), numeric=True), Column(_("Retención IRPF"), numeric=True),
                Column(_("Total factura"), numeric=True), Column(_("Exención"), width=10)]
    rows = []
    for row in book["rows"]:
        head = [row["registration"], row["date"]] if received else []
        rows.append(head + [row["issue_date"], row["number"], row["rectifies"], row["party_tax_id"], row["party_name"],
                            row["base"], row["rate"], row["vat_amount"], row["surcharge_rate"],
                            row["surcharge_amount"], row["withholding"], row["total"], row["exempt_cause"]])
    totals = book["totals"]
    footer = [""] * (len(columns) - 9) + [_("Totales"), totals["base"], None, totals["vat_amount"], None,
                                           totals["surcharge_amount"], totals["withholding"], totals["total"], ""]
    name = "libro-iva-recibidas" if received else "libro-iva-expedidas"
    return Report(title=str(book["title"]), subtitle=_subtitle(tp), columns=columns, rows=rows, footer=footer,
                  filename=f"{name}-{tp.year}-{tp.code}")


def model_347_report(result: dict) -> Report:
    rows = [[row["key"], row["party_tax_id"], row["party_name"], row["total"], row["q1"], row["q2"], row["q3"],
             row["q4"]] for row in result["rows"]]
    tp = result["period"]
    return Report(title=_("Modelo 347 · Operaciones con terceras personas"), subtitle=_subtitle(tp), rows=rows,
                  filename=f"modelo-347-{tp.year}", columns=[
                      Column(_("Clave"), width=6), Column(_("NIF"), width=12), Column(_("Nombre"), width=40),
                      Column(_("Importe anual"), numeric=True), Column(_("1T"), numeric=True),
                      Column(_("2T"), numeric=True), Column(_("3T"), numeric=True), Column(_("4T"), numeric=True)])
