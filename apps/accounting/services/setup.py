"""What a new brokerage's books start with: chart, journals, taxes, account roles, this year."""
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounting.choices import JournalKind, TaxKind
from apps.accounting.errors import AccountingError
from apps.accounting.models import Account, AccountMapping, InvoiceSeries, Journal, Tax
from apps.accounting.services.chart import chart_load
from apps.accounting.services.periods import fiscal_year_for_calendar_year
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record

# role -> (default PGC code, label). Third-party roles name the parent of the party subaccounts.
ACCOUNT_ROLES = {
    "commission_income": ("705", _("Comisiones de mediación (ingreso)")),
    "fee_income": ("705", _("Honorarios a clientes (ingreso)")),
    "clients": ("4300", _("Clientes (subcuentas por tercero)")),
    "insurers": ("4000", _("Cuentas corrientes con aseguradoras (subcuentas por tercero)")),
    "insurers_receivable": ("4400", _("Aseguradoras deudoras por comisiones (subcuentas por tercero)")),
    "suppliers": ("4000", _("Proveedores (subcuentas por tercero)")),
    "creditors": ("4100", _("Acreedores por servicios (subcuentas por tercero)")),
    "bank": ("572", _("Bancos")),
    "cash": ("570", _("Caja")),
    "bank_fees": ("626", _("Comisiones y gastos bancarios")),
    "services_expense": ("629", _("Otros servicios (gasto)")),
    "commission_expense": ("623", _("Servicios de profesionales independientes (comisiones a colaboradores)")),
    "rent_expense": ("621", _("Arrendamientos (gasto)")),
    "vat_output": ("477", _("IVA repercutido")),
    "vat_input": ("472", _("IVA soportado")),
    "vat_payable": ("4750", _("Hacienda acreedora por IVA")),
    "vat_receivable": ("4700", _("Hacienda deudora por IVA")),
    "withholding_payable": ("4751", _("Hacienda acreedora por retenciones practicadas")),
    "withholding_receivable": ("473", _("Retenciones y pagos a cuenta")),
    "salaries": ("640", _("Sueldos y salarios")),
    "social_security_employer": ("642", _("Seguridad Social a cargo de la empresa")),
    "social_security_payable": ("476", _("Seguridad Social acreedora")),
    "salaries_payable": ("465", _("Remuneraciones pendientes de pago")),
    "pending_items": ("555", _("Partidas pendientes de aplicación")),
    "year_result": ("129", _("Resultado del ejercicio")),
    "rounding": ("669", _("Otros gastos financieros (redondeos)")),
}

JOURNALS = [
    ("GEN", _("Diario general"), JournalKind.GENERAL),
    ("VEN", _("Ventas y comisiones"), JournalKind.SALES),
    ("COM", _("Compras y gastos"), JournalKind.PURCHASES),
    ("BAN", _("Bancos"), JournalKind.BANK),
    ("COB", _("Cobros de recibos"), JournalKind.COLLECTIONS),
    ("NOM", _("Nóminas"), JournalKind.PAYROLL),
    ("CIE", _("Cierre y apertura"), JournalKind.CLOSING),
]

# code, name, kind, rate, account role, exemption cause, legal text
TAXES = [
    ("IVA21", _("IVA 21 %"), TaxKind.VAT_OUTPUT, "21", "vat_output", "", ""),
    ("IVA10", _("IVA 10 %"), TaxKind.VAT_OUTPUT, "10", "vat_output", "", ""),
    ("IVA4", _("IVA 4 %"), TaxKind.VAT_OUTPUT, "4", "vat_output", "", ""),
    ("IVA0", _("IVA 0 %"), TaxKind.VAT_OUTPUT, "0", "vat_output", "", ""),
    ("EXENTO20", _("Exento art. 20 LIVA (mediación de seguros)"), TaxKind.VAT_EXEMPT, "0", "", "E1",
     _("Operación exenta de IVA según el art. 20.Uno.16º de la Ley 37/1992")),
    ("IVAS21", _("IVA soportado 21 %"), TaxKind.VAT_INPUT, "21", "vat_input", "", ""),
    ("IVAS10", _("IVA soportado 10 %"), TaxKind.VAT_INPUT, "10", "vat_input", "", ""),
    ("IVAS4", _("IVA soportado 4 %"), TaxKind.VAT_INPUT, "4", "vat_input", "", ""),
    ("IVAS0", _("IVA soportado 0 % / exento"), TaxKind.VAT_INPUT, "0", "vat_input", "", ""),
    ("RE52", _("Recargo de equivalencia 5,2 %"), TaxKind.SURCHARGE, "5.2", "vat_output", "", ""),
    ("RE14", _("Recargo de equivalencia 1,4 %"), TaxKind.SURCHARGE, "1.4", "vat_output", "", ""),
    ("RE05", _("Recargo de equivalencia 0,5 %"), TaxKind.SURCHARGE, "0.5", "vat_output", "", ""),
    ("IRPF15", _("Retención IRPF 15 % (profesionales)"), TaxKind.WITHHOLDING, "15", "withholding_payable", "", ""),
    ("IRPF7", _("Retención IRPF 7 % (nuevos profesionales)"), TaxKind.WITHHOLDING, "7", "withholding_payable", "", ""),
    ("IRPF19", _("Retención IRPF 19 % (arrendamientos)"), TaxKind.WITHHOLDING, "19", "withholding_payable", "", ""),
]


def mapped_account(role: str) -> Account:
    """The account this brokerage uses for `role`, or a clear error naming the role."""
    mapping = AccountMapping.objects.select_related("account").filter(role=role).first()
    if mapping is None:
        raise AccountingError(_("Falta configurar la cuenta para «%s».") % ACCOUNT_ROLES.get(role, (role, role))[1])
    return mapping.account


@transaction.atomic
def account_mapping_set(*, actor, role: str, account: Account) -> AccountMapping:
    if role not in ACCOUNT_ROLES:
        raise AccountingError(_("Función contable desconocida: %s.") % role, field="role")
    mapping, _created = AccountMapping.objects.get_or_create(role=role, defaults={"account": account})
    before = mapping.account.code
    mapping.account = account
    mapping.save()
    audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=mapping,
                       changes={"account": [before, account.code]})
    return mapping


@transaction.atomic
def accounting_setup(*, actor=None, chart: str, year: int | None = None) -> None:
    """Idempotent: loads the chart and the defaults a brokerage needs to post from day one."""
    chart_load(chart=chart)
    by_code = {a.code: a for a in Account.objects.filter(code__in={c for c, _l in ACCOUNT_ROLES.values()})}
    for role, (code, _label) in ACCOUNT_ROLES.items():
        if code in by_code:
            AccountMapping.objects.get_or_create(role=role, defaults={"account": by_code[code]})
    for code, name, kind in JOURNALS:
        Journal.objects.get_or_create(code=code, defaults={"name": str(name), "kind": kind})
    roles = dict(AccountMapping.objects.values_list("role", "account_id"))
    for code, name, kind, rate, role, cause, legal in TAXES:
        Tax.objects.get_or_create(code=code, defaults={
            "name": str(name), "kind": kind, "rate": Decimal(rate), "account_id": roles.get(role),
            "exemption_cause": cause, "legal_text": str(legal)})
    journals = {j.code: j for j in Journal.objects.all()}
    for code, name, kind, rectifying, journal in [
        ("F", _("Facturas emitidas"), "issued", False, "VEN"),
        ("R", _("Facturas rectificativas emitidas"), "issued", True, "VEN"),
        ("P", _("Facturas recibidas"), "received", False, "COM"),
    ]:
        InvoiceSeries.objects.get_or_create(code=code, defaults={
            "name": str(name), "kind": kind, "is_rectifying": rectifying, "journal": journals[journal]})
    fiscal_year_for_calendar_year(actor=actor, year=year or timezone.localdate().year)

