from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    PERSON = "person", _("Persona física")
    COMPANY = "company", _("Persona jurídica")


class PartyStatus(models.TextChoices):
    PROSPECT = "prospect", _("Potencial")
    CLIENT = "client", _("Cliente")
    FORMER = "former", _("Antiguo cliente")


class Gender(models.TextChoices):
    FEMALE = "female", _("Mujer")
    MALE = "male", _("Hombre")
    OTHER = "other", _("Otro / no consta")


class Language(models.TextChoices):
    ES = "es", _("Español")
    CA = "ca", _("Catalán")
    EU = "eu", _("Euskera")
    GL = "gl", _("Gallego")
    EN = "en", _("Inglés")


class Channel(models.TextChoices):
    EMAIL = "email", _("Correo electrónico")
    PHONE = "phone", _("Teléfono")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    POST = "post", _("Correo postal")
    IN_PERSON = "in_person", _("En persona")


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Teléfono")
    EMAIL = "email", _("Correo electrónico")


class AddressKind(models.TextChoices):
    FISCAL = "fiscal", _("Fiscal")
    POSTAL = "postal", _("Postal")
    RISK = "risk", _("Del riesgo")


class RelationKind(models.TextChoices):
    SPOUSE = "spouse", _("Cónyuge o pareja de")
    CHILD = "child", _("Hijo/a de")
    PARENT = "parent", _("Padre/madre de")
    EMPLOYEE = "employee", _("Empleado/a de")
    ADMINISTRATOR = "administrator", _("Administrador/a de")
    PARTNER = "partner", _("Socio/a de")


# Each relation read from the other side ("B is X of A").
RELATION_INVERSE = {
    RelationKind.SPOUSE: RelationKind.SPOUSE,
    RelationKind.CHILD: RelationKind.PARENT,
    RelationKind.PARENT: RelationKind.CHILD,
}


class ConsentPurpose(models.TextChoices):
    CONTRACT = "contract", _("Ejecución del contrato")
    MARKETING = "marketing", _("Comunicaciones comerciales")
    PROFILING = "profiling", _("Elaboración de perfiles")
    INSURER_SHARING = "insurer_sharing", _("Cesión a aseguradoras")


class LeadSource(models.TextChoices):
    WEB = "web", _("Web")
    REFERRAL = "referral", _("Recomendación")
    CAMPAIGN = "campaign", _("Campaña")
    PHONE = "phone", _("Teléfono")
    EVENT = "event", _("Evento")
    PARTNER = "partner", _("Colaborador")
    OTHER = "other", _("Otro")


class LeadStatus(models.TextChoices):
    NEW = "new", _("Nuevo")
    CONTACTED = "contacted", _("Contactado")
    QUALIFIED = "qualified", _("Cualificado")
    CONVERTED = "converted", _("Convertido")
    DISCARDED = "discarded", _("Descartado")


class LineOfBusiness(models.TextChoices):
    """Until the insurance catalogue lands, opportunities name the line (ramo) directly."""

    AUTOS = "autos", _("Autos")
    HOGAR = "hogar", _("Hogar")
    VIDA = "vida", _("Vida riesgo")
    SALUD = "salud", _("Salud")
    DECESOS = "decesos", _("Decesos")
    ACCIDENTES = "accidentes", _("Accidentes")
    RC = "rc", _("Responsabilidad civil")
    EMPRESAS = "empresas", _("Empresas / multirriesgo")


class OpportunityStage(models.TextChoices):
    NEW = "new", _("Nueva")
    QUALIFIED = "qualified", _("Cualificada")
    PROPOSAL = "proposal", _("Propuesta enviada")
    NEGOTIATION = "negotiation", _("Negociación")
    WON = "won", _("Ganada")
    LOST = "lost", _("Perdida")


OPEN_STAGES = (OpportunityStage.NEW, OpportunityStage.QUALIFIED, OpportunityStage.PROPOSAL, OpportunityStage.NEGOTIATION)


class ActivityKind(models.TextChoices):
    CALL = "call", _("Llamada")
    MEETING = "meeting", _("Reunión")
    EMAIL = "email", _("Correo")
    TASK = "task", _("Tarea")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SENDING = "sending", _("Enviando")
    SENT = "sent", _("Enviada")


class RecipientStatus(models.TextChoices):
    SENT = "sent", _("Enviado")
    NO_CONSENT = "no_consent", _("Excluido: sin consentimiento")
    NO_EMAIL = "no_email", _("Excluido: sin correo")
    FAILED = "failed", _("Error de envío")


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Revisado (sin aplicar)")
    APPLIED = "applied", _("Aplicado")
    REJECTED = "rejected", _("Con errores")
