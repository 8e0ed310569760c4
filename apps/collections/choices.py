from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReceiptKind(models.TextChoices):
    NEW_BUSINESS = "new", _("Nueva producción")
    RENEWAL = "renewal", _("Cartera")
    ENDORSEMENT = "endorsement", _("Suplemento")
    REFUND = "refund", _("Extorno")


# The kinds that are "the" receipt of a period: one per policy and period_start.
PERIOD_KINDS = (ReceiptKind.NEW_BUSINESS, ReceiptKind.RENEWAL)


class ReceiptState(models.TextChoices):
    ISSUED = "issued", pgettext_lazy("recibo", "Emitido")
    PARTIAL = "partial", pgettext_lazy("recibo", "Cobrado parcialmente")
    COLLECTED = "collected", pgettext_lazy("recibo", "Cobrado")
    RETURNED = "returned", pgettext_lazy("recibo", "Devuelto")
    CANCELLED = "cancelled", pgettext_lazy("recibo", "Anulado")


class ReceiptCollector(models.TextChoices):
    BROKER = "broker", _("Correduría")
    INSURER = "insurer", _("Compañía")


class CollectionChannel(models.TextChoices):
    SEPA = "sepa", _("Domiciliación SEPA")
    TRANSFER = "transfer", _("Transferencia")
    CARD = "card", _("Tarjeta")
    CASH = "cash", _("Efectivo")
    INSURER = "insurer", _("Cobrado por la compañía")
    OFFSET = "offset", _("Compensación")


class ReceiptMovementKind(models.TextChoices):
    COLLECTION = "collection", _("Cobro")
    RETURN = "return", _("Devolución")
    REFUND_PAID = "refund_paid", _("Pago de extorno")


class CommissionMovementKind(models.TextChoices):
    EARNED = "earned", _("Devengo")
    REVERSED = "reversed", _("Retrocesión por devolución o anulación")
    RESTORED = "restored", _("Restitución por nuevo cobro")
    ADVANCE = "advance", _("Comisión anticipada")
    CLAWBACK = "clawback", _("Extorno de comisión por anulación")
    CLAWBACK_UNDONE = "clawback_undone", _("Anulación del extorno por rehabilitación")


class CoverState(models.TextChoices):
    """What art. 15 of the Ley de Contrato de Seguro says about the cover on a given day."""

    COVERED = "covered", _("Con cobertura")
    FIRST_PREMIUM_UNPAID = "first_unpaid", _("Sin cobertura: primera prima impagada")
    GRACE = "grace", _("Con cobertura: prima impagada dentro del mes de gracia")
    SUSPENDED = "suspended", _("Cobertura suspendida: prima impagada más de un mes")
    RESUMING = "resuming", _("Cobertura suspendida hasta 24 h después del pago")
    NOT_IN_FORCE = "not_in_force", _("Póliza sin vigor")


class CollaboratorKind(models.TextChoices):
    EXTERNAL_AUXILIARY = "auxiliary", _("Auxiliar externo")
    CO_BROKER = "co_broker", _("Corredor colaborador (co-corretaje)")
    REFERRER = "referrer", _("Generador de negocio")


class SettlementState(models.TextChoices):
    CLOSED = "closed", pgettext_lazy("liquidación", "Cerrada, pendiente de pago")
    PAID = "paid", pgettext_lazy("liquidación", "Pagada")
