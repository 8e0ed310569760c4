"""States and types of the GDPR register, retention, data subject requests and the complaints service."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalBasis(models.TextChoices):
    """Art. 6.1 RGPD."""

    CONSENT = "consent", _("Consentimiento (art. 6.1.a RGPD)")
    CONTRACT = "contract", _("Ejecución de un contrato (art. 6.1.b RGPD)")
    LEGAL_OBLIGATION = "legal", _("Obligación legal (art. 6.1.c RGPD)")
    VITAL_INTEREST = "vital", _("Interés vital (art. 6.1.d RGPD)")
    PUBLIC_INTEREST = "public", _("Interés público (art. 6.1.e RGPD)")
    LEGITIMATE_INTEREST = "legitimate", _("Interés legítimo (art. 6.1.f RGPD)")


class RecordType(models.TextChoices):
    PARTY_INACTIVE = "party_inactive", _("Cliente o interesado sin relación activa")
    CLAIM_CLOSED = "claim_closed", _("Siniestro cerrado")
    QUOTE_NOT_ACCEPTED = "quote_not_accepted", _("Proyecto no aceptado")
    CONSENT_REVOKED = "consent_revoked", _("Consentimiento de marketing retirado")
    DOCUMENT = "document", _("Documento sin plazo de conservación en su categoría")


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonimizar")
    DELETE = "delete", _("Borrar")


class RunState(models.TextChoices):
    RUNNING = "running", _("En curso")
    DONE = "done", _("Terminada")
    FAILED = "failed", _("Fallida")


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Programada")
    MANUAL = "manual", _("Manual")


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Acceso (art. 15 RGPD)")
    RECTIFICATION = "rectification", _("Rectificación (art. 16 RGPD)")
    ERASURE = "erasure", _("Supresión (art. 17 RGPD)")
    PORTABILITY = "portability", _("Portabilidad (art. 20 RGPD)")


class RequestState(models.TextChoices):
    RECEIVED = "received", _("Recibida")
    IN_PROGRESS = "in_progress", _("En curso")
    RESOLVED = "resolved", _("Resuelta")
    DENIED = "denied", _("Denegada")


OPEN_REQUEST_STATES = (RequestState.RECEIVED, RequestState.IN_PROGRESS)


class Channel(models.TextChoices):
    EMAIL = "email", _("Correo electrónico")
    POST = "post", _("Correo postal")
    IN_PERSON = "in_person", _("Presencial")
    WEB = "web", _("Web / área de clientes")
    PHONE = "phone", _("Teléfono")


class ComplaintKind(models.TextChoices):
    QUEJA = "queja", _("Queja")
    RECLAMACION = "reclamacion", _("Reclamación")


class ComplaintReason(models.TextChoices):
    CONTRACTING = "contracting", _("Contratación y asesoramiento")
    INFORMATION = "information", _("Información precontractual o documentación")
    CLAIM = "claim", _("Gestión de siniestros")
    RECEIPTS = "receipts", _("Recibos, cobros y devoluciones")
    CANCELLATION = "cancellation", _("Anulaciones y renovaciones")
    SERVICE = "service", _("Atención y trato recibido")
    DATA = "data", _("Protección de datos")
    OTHER = "other", _("Otros")


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("Recibida")
    IN_PROGRESS = "in_progress", _("En trámite")
    CLOSED = "closed", _("Resuelta")


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("Estimada")
    PARTIALLY_UPHELD = "partial", _("Parcialmente estimada")
    DISMISSED = "dismissed", _("Desestimada")
    NOT_ADMITTED = "not_admitted", _("No admitida a trámite")


class NotAdmittedReason(models.TextChoices):
    """Art. 11.1 Orden ECO/734/2004: causes for not admitting a complaint."""

    MISSING_DATA = "missing_data", _("Faltan datos esenciales no subsanables")
    JUDICIAL = "judicial", _("Pendiente o resuelta en vía judicial, arbitral o administrativa")
    NO_INTEREST = "no_interest", _("No se refiere a operaciones concretas ni a intereses del cliente")
    REPEATED = "repeated", _("Reitera otra ya resuelta")
    LATE = "late", _("Presentada fuera del plazo establecido")
