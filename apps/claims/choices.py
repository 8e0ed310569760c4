from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ClaimState(models.TextChoices):
    REPORTED = "reported", pgettext_lazy("siniestro", "Declarado")
    IN_REVIEW = "in_review", pgettext_lazy("siniestro", "En tramitación")
    ACCEPTED = "accepted", pgettext_lazy("siniestro", "Aceptado")
    REJECTED = "rejected", pgettext_lazy("siniestro", "Rechazado")
    PAID = "paid", pgettext_lazy("siniestro", "Pagado")
    CLOSED = "closed", pgettext_lazy("siniestro", "Cerrado")
    REOPENED = "reopened", pgettext_lazy("siniestro", "Reabierto")


# The only transitions a claim may take; the services refuse everything else.
CLAIM_TRANSITIONS = {
    ClaimState.REPORTED: {ClaimState.IN_REVIEW, ClaimState.REJECTED, ClaimState.CLOSED},
    ClaimState.IN_REVIEW: {ClaimState.ACCEPTED, ClaimState.REJECTED},
    ClaimState.ACCEPTED: {ClaimState.PAID, ClaimState.CLOSED},
    ClaimState.REJECTED: {ClaimState.CLOSED, ClaimState.REOPENED},
    ClaimState.PAID: {ClaimState.CLOSED},
    ClaimState.CLOSED: {ClaimState.REOPENED},
    ClaimState.REOPENED: {ClaimState.IN_REVIEW, ClaimState.ACCEPTED, ClaimState.REJECTED, ClaimState.CLOSED},
}
OPEN_STATES = (ClaimState.REPORTED, ClaimState.IN_REVIEW, ClaimState.ACCEPTED, ClaimState.REOPENED)


class ClaimCause(models.TextChoices):
    COLLISION = "collision", _("Colisión o accidente de circulación")
    THEFT = "theft", _("Robo o hurto")
    WATER = "water", _("Daños por agua")
    FIRE = "fire", _("Incendio o explosión")
    WEATHER = "weather", _("Fenómenos atmosféricos")
    GLASS = "glass", _("Rotura de lunas o cristales")
    LIABILITY = "liability", _("Responsabilidad civil frente a terceros")
    PERSONAL_INJURY = "injury", _("Lesiones o accidente personal")
    ILLNESS = "illness", _("Enfermedad o asistencia sanitaria")
    DEATH = "death", _("Fallecimiento")
    ASSISTANCE = "assistance", _("Asistencia (grúa, cerrajería...)")
    LEGAL = "legal", _("Defensa jurídica")
    OTHER = "other", _("Otra causa")


class PaymentPayee(models.TextChoices):
    POLICYHOLDER = "policyholder", _("Tomador o asegurado")
    THIRD_PARTY = "third_party", _("Tercero perjudicado")
    REPAIRER = "repairer", _("Taller o reparador")
    OTHER = "other", _("Otro")


class ThirdPartyRole(models.TextChoices):
    OTHER_DRIVER = "driver", _("Conductor contrario")
    INJURED = "injured", _("Perjudicado")
    WITNESS = "witness", _("Testigo")
    OTHER_INSURER = "insurer", _("Compañía contraria")
    OTHER = "other", _("Otro")
