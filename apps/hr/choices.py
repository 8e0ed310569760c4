from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DistributionRole(models.TextChoices):
    """Who takes part in insurance distribution (Ley de Distribución de Seguros, RDL 3/2020) and at which
    training level (Resolución DGSFP de 3 de junio de 2021)."""
    NONE = "none", _("No participa en la distribución")
    LEVEL_1 = "level_1", _("Nivel 1: responsable de distribución o dirección")
    LEVEL_2 = "level_2", _("Nivel 2: asesora o informa al cliente")
    LEVEL_3 = "level_3", _("Nivel 3: apoyo sin asesoramiento")


class ContractKind(models.TextChoices):
    INDEFINITE = "indefinite", _("Indefinido")
    TEMPORARY = "temporary", _("Temporal (circunstancias de la producción o sustitución)")
    TRAINING = "training", _("Formativo en alternancia")
    INTERNSHIP = "internship", _("Formativo para la obtención de práctica profesional")


class ContractState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("contrato", "En vigor")
    ENDED = "ended", pgettext_lazy("contrato", "Extinguido")


class ContractEventKind(models.TextChoices):
    SIGNED = "signed", _("Alta")
    EXTENSION = "extension", _("Prórroga")
    CHANGE = "change", _("Modificación de condiciones")
    TERMINATION = "termination", _("Extinción")


class TerminationReason(models.TextChoices):
    END_OF_TERM = "end_of_term", _("Fin del contrato temporal")
    RESIGNATION = "resignation", _("Baja voluntaria")
    TRIAL_PERIOD = "trial_period", _("No superación del periodo de prueba")
    DISCIPLINARY = "disciplinary", _("Despido disciplinario")
    OBJECTIVE = "objective", _("Despido por causas objetivas")
    MUTUAL = "mutual", _("Mutuo acuerdo")
    RETIREMENT = "retirement", _("Jubilación")
    OTHER = "other", _("Otra causa")


class HolidayScope(models.TextChoices):
    NATIONAL = "national", _("Nacional")
    REGIONAL = "regional", _("Autonómico")
    LOCAL = "local", _("Local")


class TimeRecordKind(models.TextChoices):
    CLOCK_IN = "in", _("Entrada")
    CLOCK_OUT = "out", _("Salida")
    BREAK_START = "break_start", _("Inicio de pausa")
    BREAK_END = "break_end", _("Fin de pausa")


class TimeRecordSource(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    CORRECTION = "correction", _("Corrección")


class LeaveRequestState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("ausencia", "Solicitada")
    APPROVED = "approved", pgettext_lazy("ausencia", "Aprobada")
    REJECTED = "rejected", pgettext_lazy("ausencia", "Rechazada")
    CANCELLED = "cancelled", pgettext_lazy("ausencia", "Anulada")


class PayrollRunState(models.TextChoices):
    CALCULATED = "calculated", pgettext_lazy("nómina", "Calculada")
    POSTED = "posted", pgettext_lazy("nómina", "Contabilizada")
    PAID = "paid", pgettext_lazy("nómina", "Pagada")


class TrainingModality(models.TextChoices):
    ON_SITE = "on_site", _("Presencial")
    ONLINE = "online", _("En línea")
    BLENDED = "blended", _("Mixta")


class EmployeeDocumentKind(models.TextChoices):
    CONTRACT = "contract", _("Contrato")
    PAYSLIP = "payslip", _("Nómina")
    CERTIFICATE = "certificate", _("Certificado")
    ID = "id", _("Documento de identidad")
    OTHER = "other", _("Otro")
