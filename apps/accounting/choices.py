from django.db import models
from django.utils.translation import gettext_lazy as _


class FiscalYearState(models.TextChoices):
    OPEN = "open", _("Abierto")
    CLOSED = "closed", _("Cerrado")
    LOCKED = "locked", _("Bloqueado")


class PeriodState(models.TextChoices):
    OPEN = "open", _("Abierto")
    CLOSED = "closed", _("Cerrado")
    LOCKED = "locked", _("Bloqueado")


class JournalKind(models.TextChoices):
    GENERAL = "general", _("General")
    SALES = "sales", _("Ventas")
    PURCHASES = "purchases", _("Compras")
    BANK = "bank", _("Bancos")
    COLLECTIONS = "collections", _("Cobros")
    PAYROLL = "payroll", _("Nóminas")
    CLOSING = "closing", _("Cierre y apertura")


class EntryState(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    POSTED = "posted", _("Contabilizado")


class EntryKind(models.TextChoices):
    NORMAL = "normal", _("Normal")
    OPENING = "opening", _("Apertura")
    REGULARISATION = "regularisation", _("Regularización")
    CLOSING = "closing", _("Cierre")
    REVERSAL = "reversal", _("Anulación")
    VAT_SETTLEMENT = "vat_settlement", _("Liquidación de IVA")


class TaxKind(models.TextChoices):
    VAT_OUTPUT = "vat_output", _("IVA repercutido")
    VAT_INPUT = "vat_input", _("IVA soportado")
    VAT_EXEMPT = "vat_exempt", _("Exento de IVA")
    SURCHARGE = "surcharge", _("Recargo de equivalencia")
    WITHHOLDING = "withholding", _("Retención IRPF")


class InvoiceKind(models.TextChoices):
    ISSUED = "issued", _("Emitida")
    RECEIVED = "received", _("Recibida")


class InvoiceState(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    VALIDATED = "validated", _("Validada")
    CANCELLED = "cancelled", _("Anulada")


class ChartKind(models.TextChoices):
    PGC_PYMES = "pgc_pymes", _("PGC PYMES")
    PGC_NORMAL = "pgc_normal", _("PGC normal")
