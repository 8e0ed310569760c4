"""Contexts of the documents that already had a PDF: the invoice, the payslip, the settlement statement
and the quote comparison. Each starts from the context the domain's own PDF builds and replaces its model
instances with the plain fields the default template shows (the sandbox would turn them into text)."""
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.money import format_eur
from apps.documents.services.generation_context import fmt_date, party_data


def invoice_context(invoice) -> dict:
    from apps.accounting.choices import InvoiceKind
    from apps.accounting.services.invoices_pdf import invoice_pdf_context

    if invoice.kind != InvoiceKind.ISSUED:
        raise DomainError(_("Las facturas recibidas las emite el proveedor: no se genera su PDF."),
                          code="document_invoice_received")
    context = invoice_pdf_context(invoice)
    context["invoice"] = {"number": context["number"], "party_name": invoice.party_name,
                          "party_tax_id": invoice.party_tax_id, "notes": invoice.notes}
    return context


def payslip_context(slip) -> dict:
    from apps.hr.services.payroll_pdf import payslip_pdf_context

    context = payslip_pdf_context(slip)
    employee, contract, centre = slip.employee, slip.contract, context["centre"]
    context.update({
        "slip": {"period": str(slip.run), "days": slip.days},
        "employee": {"code": employee.code, "first_name": employee.first_name, "last_name": employee.last_name,
                     "tax_id": employee.tax_id, "ss_number": employee.ss_number, "position": employee.position},
        "contract": {"kind": contract.get_kind_display() if contract else "",
                     "agreement_group": contract.agreement_group if contract else "",
                     "contribution_group": contract.contribution_group if contract else ""},
        "centre": {"name": centre.name, "address": centre.address, "postal_code": centre.postal_code,
                   "municipality": centre.municipality} if centre else None,
    })
    return context


def settlement_context(settlement) -> dict:
    from apps.collections.selectors_settlements import statement_context

    context = statement_context(settlement)
    context["settlement"] = {"number": settlement.number, "state": settlement.get_state_display()}
    return context


def _option(option, recommended) -> dict:
    return {"rank": option.rank, "insurer": option.product.insurer.name, "product": option.product.name,
            "net_premium": format_eur(option.net_premium), "ips": format_eur(option.ips),
            "consorcio": format_eur(option.consorcio), "clea": format_eur(option.clea),
            "total_premium": format_eur(option.total_premium), "recommended": option == recommended}


def _cell(cell) -> str:
    if not cell:
        return "—"
    text = _("Opcional") if cell["kind"] == "optional" else _("Incluida")
    if cell["limit_text"]:
        text += f" · {cell['limit_text']}"
    elif cell["limit"] is not None:
        text += f" · {format_eur(cell['limit'])}"
    if cell["deductible"]:
        text += f" · {_('franq.')} {format_eur(cell['deductible'])}"
    return text


def quote_comparison_context(quote) -> dict:
    from apps.insurance.views.quotes import comparison_context  # what the page and the quote's PDF show

    context = comparison_context(quote)
    comparison = context.pop("comparison")
    context.pop("object")
    context.update({
        "quote": {"number": quote.number, "line": quote.line.name, "effective_date": fmt_date(quote.effective_date),
                  "valid_until": fmt_date(quote.valid_until), "risk_summary": quote.risk_summary,
                  "advice_kind": quote.get_advice_kind_display(), "state": quote.get_state_display(),
                  "objective_analysis_statement": quote.objective_analysis_statement,
                  "stored_needs_statement": quote.needs_statement},
        "client": party_data(quote.client),
        "options": [_option(option, comparison.recommended) for option in comparison.eligible],
        "declined": [{"insurer": option.product.insurer.name, "product": option.product.name,
                      "reason": option.decline_reason} for option in comparison.declined],
        "coverage_rows": [{"name": row.name, "cells": [_cell(cell) for cell in row.cells]}
                          for row in comparison.coverage_rows],
    })
    return context
