"""What each generated document shows: one context builder per template code, all plain data.

The brokerage's letterhead (name, NIF, DGSFP key, address and the logo as a data: URI read from storage,
so the PDF needs no network) comes first in every context; the record's data follows. The invoice, the
payslip, the settlement statement and the quote comparison reuse the contexts their own PDFs already
build (apps.accounting / hr / collections / insurance), so a figure is computed in one place only.
"""
import base64
import datetime
import logging

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.money import format_eur

logger = logging.getLogger(__name__)
MAX_LOGO_BYTES = 2 * 1024 * 1024
IMAGE_TYPES = ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"), (b"GIF8", "image/gif"))


def fmt_date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def current_tenant():
    """This brokerage's Tenant row as saved now (not the copy the request started with: the letterhead may
    have just changed)."""
    from django_tenants.utils import get_tenant_model

    return get_tenant_model().objects.filter(schema_name=connection.schema_name).first()


def logo_data_uri(tenant) -> str:
    """The tenant's logo inline (data:image/...;base64,...), or "" when there is none or it cannot be read."""
    logo = getattr(tenant, "logo", None)
    if not logo:
        return ""
    try:
        with logo.storage.open(logo.name, "rb") as handle:
            content = handle.read(MAX_LOGO_BYTES + 1)
    except Exception:  # noqa: BLE001 - a missing or unreachable logo leaves the letterhead without it
        logger.warning("Logo not readable", extra={"logo": logo.name})
        return ""
    mime = next((kind for magic, kind in IMAGE_TYPES if content.startswith(magic)), None)
    if mime is None or len(content) > MAX_LOGO_BYTES:
        return ""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def letterhead() -> dict:
    tenant = current_tenant()
    return {"name": getattr(tenant, "name", ""), "tax_id": getattr(tenant, "tax_id", ""),
            "dgsfp_code": getattr(tenant, "dgsfp_code", ""), "address": getattr(tenant, "address", ""),
            "logo": logo_data_uri(tenant)}


def party_data(party) -> dict:
    if party is None:
        return {"name": "", "tax_id": "", "address": ""}
    address = next(iter(party.addresses.all()), None)
    return {"name": party.display_name, "tax_id": party.tax_id or "",
            "address": str(address) if address is not None else ""}


# --- Policy certificate and receipt (no PDF of their own before) --------------------------------

def policy_certificate_context(policy) -> dict:
    version = policy.current_version
    insured = [{"name": person.get("name", ""), "tax_id": person.get("tax_id", "")}
               for person in (version.insured if version else []) if isinstance(person, dict)]
    coverages = [{"name": row.get("name", ""), "limit": row.get("limit_text") or (
        format_eur(row["limit"]) if row.get("limit") not in (None, "") else "")}
        for row in (version.coverages if version else []) if isinstance(row, dict)]
    return {
        "policy": {
            "number": policy.number, "state": policy.get_state_display(), "start_date": fmt_date(policy.start_date),
            "expiry_date": fmt_date(policy.expiry_date), "term_months": policy.term_months,
            "tacit_renewal": policy.tacit_renewal, "payment_frequency": policy.get_payment_frequency_display(),
            "payment_method": policy.get_payment_method_display(), "risk": policy.risk_summary,
            "net_premium": format_eur(policy.net_premium), "total_premium": format_eur(policy.total_premium),
            "ips": format_eur(version.ips) if version else "",
            "consorcio": format_eur(version.consorcio) if version else "",
            "clea": format_eur(version.clea) if version else "",
            "sum_insured": format_eur(version.sum_insured) if version and version.sum_insured is not None else "",
        },
        "holder": party_data(policy.policyholder), "insured": insured, "coverages": coverages,
        "insurer": {"name": policy.insurer.name, "tax_id": policy.insurer.tax_id,
                    "dgsfp_code": policy.insurer.dgsfp_code},
        "product": policy.product.name, "line": policy.line.name,
    }


def _receipt_iban(party) -> str:
    from apps.hr.validators import iban_masked
    from apps.treasury.models import Mandate

    mandate = Mandate.objects.filter(party=party, state="active").order_by("-signature_date", "-pk").first()
    if mandate is not None:
        return iban_masked(mandate.iban)
    account = party.bank_accounts.order_by("-is_primary", "pk").first()
    return iban_masked(account.iban) if account is not None else ""


def receipt_context(receipt) -> dict:
    return {
        "receipt": {
            "number": receipt.number, "insurer_number": receipt.insurer_number, "kind": receipt.get_kind_display(),
            "state": receipt.get_state_display(), "period_start": fmt_date(receipt.period_start),
            "period_end": fmt_date(receipt.period_end), "due_date": fmt_date(receipt.due_date),
            "net_premium": format_eur(receipt.net_premium), "ips": format_eur(receipt.ips),
            "consorcio": format_eur(receipt.consorcio), "clea": format_eur(receipt.clea),
            "total_premium": format_eur(receipt.total_premium), "collected": format_eur(receipt.collected_amount),
            "outstanding": format_eur(receipt.outstanding), "collector": receipt.get_collector_display(),
            "collected_on": fmt_date(receipt.collected_on),
        },
        "policy": {"number": receipt.policy.number, "product": receipt.policy.product.name,
                   "risk": receipt.policy.risk_summary},
        "insurer": {"name": receipt.insurer.name, "tax_id": receipt.insurer.tax_id},
        "holder": party_data(receipt.policyholder),
        # the account charged, masked, when the brokerage debits it (SEPA)
        "iban": _receipt_iban(receipt.policyholder) if receipt.policy.payment_method == "broker_sepa" else "",
    }


# --- Letters of a mail merge ----------------------------------------------------------------------

def letter_values(party) -> dict:
    """The names a merge letter's text may use: the same as a campaign's ({{ nombre }}, {{ gestor }})."""
    manager = party.account_manager
    gestor = (manager.get_full_name() or manager.email) if manager else getattr(connection.tenant, "name", "")
    nombre = party.first_name if party.kind == "person" and party.first_name else party.display_name
    return {"nombre": nombre, "nombre_completo": party.display_name, "gestor": gestor}


def letter_context(party, *, body: str = "") -> dict:
    return {"party": party_data(party), "values": letter_values(party), "body": body,
            "date": fmt_date(timezone.localdate())}


def today_text() -> str:
    return fmt_date(timezone.localdate())


def sample_label(record) -> str:
    """How a sample record is offered in the editor's preview list."""
    when = getattr(record, "created_at", None)
    suffix = f" · {fmt_date(when.date() if isinstance(when, datetime.datetime) else when)}" if when else ""
    return f"{record}{suffix}" or _("Registro %s") % record.pk
