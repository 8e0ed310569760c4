"""The documents the brokerage generates: for each template code, the records it is made from (with the
queryset a user may read them through), its context builder, file name and document category."""
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.core.permissions import visible_to
from apps.documents import generation_viewers
from apps.documents.access import may_view_record
from apps.documents.choices_generation import TemplateCode
from apps.documents.services import generation_context as ctx
from apps.documents.services import generation_context_reuse as reuse


@dataclass(frozen=True)
class RecordSource:
    label: str  # "<app_label>.<model_name>", as in a document key
    permission: str | None  # model permission to list it in the editor's samples (None: the queryset decides)
    readable: Callable  # (user or None) -> queryset, with what the context needs loaded


@dataclass(frozen=True)
class GeneratedKind:
    code: str
    sources: tuple[RecordSource, ...]
    context: Callable  # record -> dict
    filename: Callable  # record -> str
    category: str  # the DocumentCategory code it is filed under, when the brokerage has that category

    @property
    def label(self) -> str:
        return str(TemplateCode(self.code).label)

    def source_for(self, record_or_label) -> RecordSource | None:
        label = record_or_label if isinstance(record_or_label, str) else record_label(record_or_label)
        return next((source for source in self.sources if source.label == label), None)


def record_label(record) -> str:
    return f"{record._meta.app_label}.{record._meta.model_name}"


def record_key(record) -> str:
    return f"{record_label(record)}.{record.pk}"


def _policies(user=None):
    from apps.insurance.models import Policy
    from apps.insurance.selectors_policies import policies_for

    queryset = policies_for(user) if user is not None else Policy.objects.all()
    return queryset.select_related("insurer", "product", "line", "policyholder", "current_version").prefetch_related(
        "policyholder__addresses")


def _receipts(user=None):
    from apps.collections.models import Receipt
    from apps.collections.selectors_pages import receipts_for

    queryset = receipts_for(user) if user is not None else Receipt.objects.all()
    return queryset.select_related("policy__product", "insurer", "policyholder").prefetch_related(
        "policyholder__addresses")


def _quotes(user=None):
    from apps.insurance.models import Quote
    from apps.insurance.selectors_quotes import quotes_for

    queryset = quotes_for(user) if user is not None else Quote.objects.all()
    return queryset.select_related("client", "line").prefetch_related("options__product__insurer", "client__addresses")


def _invoices(user=None):
    from apps.accounting.models import Invoice

    return Invoice.objects.filter(kind="issued").select_related("party", "rectifies")


def _settlements(user=None):
    from apps.collections.models import Settlement

    return Settlement.objects.select_related("insurer")


def _collaborator_settlements(user=None):
    from apps.collections.models import CollaboratorSettlement

    return CollaboratorSettlement.objects.select_related("collaborator__party")


def _payslips(user=None):
    from apps.hr.models import Payslip
    from apps.hr.selectors_payroll import readable_payslips

    queryset = readable_payslips(user) if user is not None else Payslip.objects.select_related("run", "employee",
                                                                                                 "contract")
    return queryset.select_related("employee__work_centre")


def _parties(user=None):
    from apps.crm.models import Party

    queryset = Party.objects.filter(anonymised_at__isnull=True)
    queryset = visible_to(queryset, user, "account_manager") if user is not None else queryset
    return queryset.select_related("account_manager").prefetch_related("addresses")


def _letter_name(party) -> str:
    return f"carta-{slugify(party.display_name)[:60] or party.pk}-{ctx.today_text().replace('/', '-')}.pdf"


def _stem(prefix: str, number) -> str:
    return f"{prefix}-{number}.pdf".replace("/", "-")


KINDS: dict[str, GeneratedKind] = {kind.code: kind for kind in (
    GeneratedKind(TemplateCode.POLICY_CERTIFICATE,
                  (RecordSource("insurance.policy", "insurance.view_policy", _policies),),
                  ctx.policy_certificate_context, lambda policy: _stem("certificado", policy.number), "poliza"),
    GeneratedKind(TemplateCode.RECEIPT, (RecordSource("collections.receipt", "collections.view_receipt", _receipts),),
                  ctx.receipt_context, lambda receipt: _stem("recibo", receipt.number), "recibo"),
    GeneratedKind(TemplateCode.QUOTE_COMPARISON, (RecordSource("insurance.quote", "insurance.view_quote", _quotes),),
                  reuse.quote_comparison_context, lambda quote: _stem("comparativa", quote.number), "poliza"),
    GeneratedKind(TemplateCode.INVOICE, (RecordSource("accounting.invoice", "accounting.view_invoice", _invoices),),
                  reuse.invoice_context, lambda invoice: _stem("factura", invoice.full_number or invoice.pk),
                  "factura"),
    GeneratedKind(TemplateCode.SETTLEMENT_STATEMENT, (
        RecordSource("collections.settlement", "collections.view_settlement", _settlements),
        RecordSource("collections.collaboratorsettlement", "collections.view_collaboratorsettlement",
                     _collaborator_settlements)),
        reuse.settlement_context, lambda settlement: _stem("liquidacion", settlement.number), "liquidacion"),
    GeneratedKind(TemplateCode.PAYSLIP, (RecordSource("hr.payslip", None, _payslips),), reuse.payslip_context,
                  lambda slip: _stem("nomina", f"{slip.run.year}-{slip.run.month:02d}-{slip.employee.code}"), "nomina"),
    GeneratedKind(TemplateCode.LETTER, (RecordSource("crm.party", "crm.view_party", _parties),),
                  lambda party: ctx.letter_context(party), _letter_name, "carta"),
)}


def kind_for(code: str) -> GeneratedKind:
    from apps.documents.services.template_sandbox import TemplateRefused

    kind = KINDS.get(code)
    if kind is None:
        raise TemplateRefused(_("Plantilla desconocida «%(code)s». Admitidas: %(codes)s.") % {
            "code": code, "codes": ", ".join(KINDS)}, code="document_template_unknown", field="template_code")
    return kind


def readable_record(user, key: str):
    """The record of a key "<app_label>.<model>.<pk>" with what its document needs loaded, if it is a kind
    that gets generated documents and `user` may view it (apps.documents.access: the record page's rule)."""
    label, _dot, pk = (key or "").rpartition(".")
    if not pk.isdigit() or not may_view_record(user, key):
        return None
    source = next((found for kind in KINDS.values() if (found := kind.source_for(label)) is not None), None)
    return source.readable(None).filter(pk=int(pk)).first() if source is not None else None


generation_viewers.register()
