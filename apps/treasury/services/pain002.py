"""pain.002.001.03 (customer payment status report): the bank's rejections of a SEPA remittance.

The original message id must be one of our remittances; each rejected transaction (TxSts RJCT with
its StsRsnInf/Rsn/Cd) is matched to a remittance item by OrgnlEndToEndId. A report with items we do
not know, or cannot return, applies nothing unless the user confirms applying only the valid ones.
"""
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from lxml import etree

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.collections.services.receipts import RETURNABLE
from apps.core.events import publish
from apps.treasury.models import Remittance, RemittanceItem
from apps.treasury.services.returns import ReturnError, ReturnResult, check_return, reason_label, return_record

REJECTED = "RJCT"


@dataclass(frozen=True)
class Rejection:
    end_to_end_id: str
    code: str
    label: str
    item: RemittanceItem | None = None
    problem: str = ""


@dataclass
class ImportResult:
    message_id: str
    remittance: Remittance
    date: datetime.date
    valid: list = field(default_factory=list)      # Rejection rows that can be applied
    refused: list = field(default_factory=list)    # Rejection rows with a problem (unknown id, already returned...)
    applied: list = field(default_factory=list)    # ReturnResult rows once applied

    @property
    def unknown(self) -> list[str]:
        return [row.end_to_end_id for row in self.refused if row.item is None]

    @property
    def complete(self) -> bool:
        return not self.refused


def _parse(xml: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(xml, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        raise ReturnError(_("El fichero no es un XML válido."), code="treasury_pain002_xml", field="file") from None
    if etree.QName(root).localname != "Document" or "pain.002" not in (etree.QName(root).namespace or ""):
        raise ReturnError(_("El fichero no es un informe de estado pain.002."), code="treasury_pain002_xml",
                          field="file")
    return root


def _text(node, path: str) -> str:
    found = node.xpath(path)
    return found[0].text.strip() if found and found[0].text else ""


def _report_date(root) -> datetime.date | None:
    created = _text(root, "*[local-name()='CstmrPmtStsRpt']/*[local-name()='GrpHdr']/*[local-name()='CreDtTm']")
    try:
        return datetime.date.fromisoformat(created[:10]) if created else None
    except ValueError:
        return None


def _rejections(root) -> list[tuple[str, str]]:
    rows = []
    for tx in root.xpath("//*[local-name()='TxInfAndSts']"):
        if _text(tx, "*[local-name()='TxSts']") != REJECTED:
            continue
        code = _text(tx, "*[local-name()='StsRsnInf']/*[local-name()='Rsn']/*[local-name()='Cd']")
        rows.append((_text(tx, "*[local-name()='OrgnlEndToEndId']"), code.upper()))
    return rows


def _problem(item: RemittanceItem | None, code: str) -> str:
    if item is None:
        return _("Adeudo desconocido en esta remesa.")
    try:
        check_return(item=item, code=code)
    except ReturnError as error:
        return error.message
    if item.receipt.state not in RETURNABLE:
        return _("El recibo %s no está cobrado.") % item.receipt.number
    return ""


def pain002_preview(*, xml: bytes) -> ImportResult:
    """Reads the report without writing: what would be applied and what is refused, and why."""
    root = _parse(xml)
    message_id = _text(root, "//*[local-name()='OrgnlGrpInfAndSts']/*[local-name()='OrgnlMsgId']")
    if not message_id:
        raise ReturnError(_("El informe no indica el mensaje original (OrgnlMsgId)."), code="treasury_pain002_xml",
                          field="file")
    remittance = Remittance.objects.filter(message_id=message_id).select_related("bank_account").first()
    if remittance is None:
        raise ReturnError(_("El informe se refiere al mensaje «%s», que no corresponde a ninguna remesa: "
                            "no se ha aplicado nada.") % message_id,
                          code="treasury_pain002_unknown_remittance", field="file", status=409)
    rows = _rejections(root)
    items = {item.end_to_end_id: item for item in remittance.items.select_related("receipt", "remittance")
             .filter(end_to_end_id__in=[e2e for e2e, _code in rows])}
    date = max(filter(None, [_report_date(root), remittance.collection_date]))
    result = ImportResult(message_id=message_id, remittance=remittance, date=date)
    for e2e, code in rows:
        item = items.get(e2e)
        row = Rejection(end_to_end_id=e2e, code=code, label=reason_label(code), item=item,
                        problem=_problem(item, code))
        (result.refused if row.problem else result.valid).append(row)
    return result


@transaction.atomic
def pain002_import(*, actor, xml: bytes, confirm_partial: bool = False) -> ImportResult:
    """Applies the report's rejections as returns. With refused rows nothing is applied unless
    `confirm_partial`; then only the valid ones are."""
    result = pain002_preview(xml=xml)
    if result.refused and not confirm_partial:
        raise ReturnError(
            _("El informe tiene %(n)d adeudo(s) que no se pueden aplicar (%(ids)s): no se ha aplicado nada. "
              "Confirme para aplicar solo los válidos.") % {
                "n": len(result.refused), "ids": ", ".join(row.end_to_end_id or "?" for row in result.refused)},
            code="treasury_pain002_partial", field="confirm_partial", status=409)
    for row in result.valid:
        applied: ReturnResult = return_record(actor=actor, item=row.item, date=result.date, code=row.code)
        result.applied.append(applied)
    audit_event_record(actor=actor if getattr(actor, "pk", None) else None, action=AuditAction.ACTION,
                       verb="pain002_import", obj=result.remittance, changes={
                           "mensaje": [None, result.message_id], "aplicados": [None, len(result.applied)],
                           "rechazados": [None, [row.end_to_end_id for row in result.refused]]})
    publish("treasury.remittance.pain002_imported", pk=result.remittance.pk, applied=len(result.applied),
            refused=len(result.refused))
    return result
