from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DgsfpClass(models.TextChoices):
    """Ramos of the DGSFP classification (Ley 20/2015, anexo): non-life 1-19 and life."""

    ACCIDENTS = "01", _("1. Accidentes")
    SICKNESS = "02", _("2. Enfermedad (incluida asistencia sanitaria)")
    LAND_VEHICLES = "03", _("3. Vehículos terrestres (no ferroviarios)")
    RAILWAY = "04", _("4. Vehículos ferroviarios")
    AIRCRAFT = "05", _("5. Vehículos aéreos")
    SHIPS = "06", _("6. Vehículos marítimos, lacustres y fluviales")
    GOODS_IN_TRANSIT = "07", _("7. Mercancías transportadas")
    FIRE = "08", _("8. Incendio y elementos naturales")
    OTHER_DAMAGE = "09", _("9. Otros daños a los bienes")
    MOTOR_LIABILITY = "10", _("10. Responsabilidad civil en vehículos terrestres automóviles")
    AIRCRAFT_LIABILITY = "11", _("11. Responsabilidad civil en vehículos aéreos")
    SHIP_LIABILITY = "12", _("12. Responsabilidad civil en vehículos marítimos, lacustres y fluviales")
    GENERAL_LIABILITY = "13", _("13. Responsabilidad civil en general")
    CREDIT = "14", _("14. Crédito")
    SURETY = "15", _("15. Caución")
    PECUNIARY_LOSS = "16", _("16. Pérdidas pecuniarias diversas")
    LEGAL_EXPENSES = "17", _("17. Defensa jurídica")
    ASSISTANCE = "18", _("18. Asistencia")
    FUNERAL = "19", _("19. Decesos")
    LIFE = "VI", _("Vida")


class CoverageKind(models.TextChoices):
    INCLUDED = "included", _("Incluida")
    OPTIONAL = "optional", _("Opcional")


class CommissionEarnedOn(models.TextChoices):
    ISSUE = "issue", _("A la emisión del recibo")
    COLLECTION = "collection", _("Al cobro del recibo")


class ClawbackRule(models.TextChoices):
    PRO_RATA = "pro_rata", _("Prorrata de la prima no consumida")
    FULL_WITHIN = "full_within", _("Íntegra si se anula dentro del plazo")
    NONE = "none", _("Sin extorno de comisión")


class ConsorcioBasis(models.TextChoices):
    """How the Consorcio de Compensación de Seguros extraordinary-risk surcharge is computed."""

    NONE = "none", _("No aplica")
    PER_MILLE_CAPITAL = "per_mille", _("Por mil del capital asegurado")
    FIXED = "fixed", _("Importe fijo por póliza")
    PERCENT_PREMIUM = "percent", _("Porcentaje de la prima neta")


class QuoteState(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SENT = "sent", _("Enviado")
    ACCEPTED = "accepted", _("Aceptado")
    REJECTED = "rejected", _("Rechazado")
    EXPIRED = "expired", _("Caducado")


class AdviceKind(models.TextChoices):
    """LDS art. 173-175: how the broker advises."""

    OBJECTIVE_ANALYSIS = "objective", _("Asesoramiento basado en análisis objetivo")
    LIMITED = "limited", _("Información sobre un número limitado de entidades")
    NO_ADVICE = "none", _("Sin asesoramiento")


class PolicyState(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    IN_FORCE = "in_force", _("En vigor")
    SUSPENDED = "suspended", _("Suspendida")
    CANCELLED = "cancelled", _("Anulada")
    EXPIRED = "expired", pgettext_lazy("póliza", "Vencida")
    RENEWED = "renewed", _("Sustituida por renovación")


# The only transitions a policy may take; the services refuse everything else.
POLICY_TRANSITIONS = {
    PolicyState.DRAFT: {PolicyState.IN_FORCE, PolicyState.CANCELLED},
    PolicyState.IN_FORCE: {PolicyState.SUSPENDED, PolicyState.CANCELLED, PolicyState.EXPIRED, PolicyState.RENEWED},
    PolicyState.SUSPENDED: {PolicyState.IN_FORCE, PolicyState.CANCELLED, PolicyState.EXPIRED},
    PolicyState.CANCELLED: {PolicyState.IN_FORCE},  # reactivation, where the service allows it
    PolicyState.EXPIRED: set(),
    PolicyState.RENEWED: set(),
}


class PaymentFrequency(models.TextChoices):
    ANNUAL = "annual", _("Anual")
    SEMIANNUAL = "semiannual", _("Semestral")
    QUARTERLY = "quarterly", _("Trimestral")
    MONTHLY = "monthly", _("Mensual")


PERIODS_PER_YEAR = {
    PaymentFrequency.ANNUAL: 1, PaymentFrequency.SEMIANNUAL: 2, PaymentFrequency.QUARTERLY: 4, PaymentFrequency.MONTHLY: 12,
}


class PaymentMethod(models.TextChoices):
    BROKER_SEPA = "broker_sepa", _("Cobra la correduría (domiciliación SEPA)")
    BROKER_OTHER = "broker_other", _("Cobra la correduría (transferencia o caja)")
    INSURER = "insurer", _("Cobra la compañía")


class VersionKind(models.TextChoices):
    ISSUE = "issue", _("Emisión")
    ENDORSEMENT = "endorsement", _("Suplemento")
    CANCELLATION = "cancellation", pgettext_lazy("póliza", "Anulación")
    REACTIVATION = "reactivation", _("Rehabilitación")
    RENEWAL = "renewal", _("Renovación")


class CancellationReason(models.TextChoices):
    CLIENT_REQUEST = "client", _("A petición del tomador")
    NON_PAYMENT = "non_payment", _("Impago de prima")
    INSURER = "insurer", _("Por la compañía")
    RISK_GONE = "risk_gone", _("Desaparición del riesgo (venta, siniestro total)")
    REPLACED = "replaced", _("Sustituida por otra póliza")
    OTHER = "other", _("Otro motivo")


class RenewalState(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    RENEWED = "renewed", _("Renovada")
    NOT_RENEWED = "not_renewed", _("No renovada")


class RenewalPremiumSource(models.TextChoices):
    INSURER = "insurer", _("Actualización de la compañía")
    RERATE = "rerate", _("Retarificación con la tarifa en vigor")
    SAME = "same", _("Misma prima")


class NonRenewalReason(models.TextChoices):
    CLIENT_REQUEST = "client", _("El tomador no quiere renovar")
    PRICE = "price", _("Precio")
    COMPETITOR = "competitor", _("Se va a otro mediador o compañía")
    INSURER_DECLINED = "insurer", _("La compañía no renueva")
    RISK_GONE = "risk_gone", _("Desaparición del riesgo")
    NON_PAYMENT = "non_payment", _("Impagos")
    OTHER = "other", _("Otro motivo")
