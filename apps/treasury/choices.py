from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MandateScheme(models.TextChoices):
    CORE = "CORE", _("CORE (particulares)")
    B2B = "B2B", _("B2B (empresas)")


class MandateKind(models.TextChoices):
    RECURRENT = "recurrent", _("Recurrente")
    ONE_OFF = "one_off", _("Único")


class MandateState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("mandato", "Activo")
    REVOKED = "revoked", pgettext_lazy("mandato", "Revocado")


class SequenceType(models.TextChoices):
    FIRST = "FRST", _("Primer adeudo (FRST)")
    RECURRENT = "RCUR", _("Recurrente (RCUR)")
    FINAL = "FNAL", _("Último (FNAL)")
    ONE_OFF = "OOFF", _("Único (OOFF)")


class RemittanceState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("remesa", "Borrador")
    GENERATED = "generated", pgettext_lazy("remesa", "Fichero generado")
    CHARGED = "charged", pgettext_lazy("remesa", "Cargada")
    CANCELLED = "cancelled", pgettext_lazy("remesa", "Anulada")


class RemittanceItemState(models.TextChoices):
    INCLUDED = "included", pgettext_lazy("adeudo", "Incluido")
    RETURNED = "returned", pgettext_lazy("adeudo", "Devuelto")


class StatementLineState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("movimiento", "Pendiente")
    PROPOSED = "proposed", pgettext_lazy("movimiento", "Propuesto")
    RECONCILED = "reconciled", pgettext_lazy("movimiento", "Conciliado")


class TransferOrderState(models.TextChoices):
    GENERATED = "generated", pgettext_lazy("transferencia", "Fichero generado")
    SETTLED = "settled", pgettext_lazy("transferencia", "Cargada en cuenta")
    CANCELLED = "cancelled", pgettext_lazy("transferencia", "Anulada")


class TransferItemKind(models.TextChoices):
    SETTLEMENT = "settlement", _("Liquidación con aseguradora")
    CLAIM_PAYMENT = "claim_payment", _("Pago de siniestro")
    SUPPLIER_INVOICE = "supplier_invoice", _("Factura de proveedor")
    PAYROLL = "payroll", _("Nómina")
    OTHER = "other", _("Otro pago")
