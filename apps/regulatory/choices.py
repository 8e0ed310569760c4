"""Choices of the regulatory app: LDS distribution duties (RDL 3/2020, libro II) and the DGSFP
classification of lines used in the DEC (documentación estadístico-contable)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    """The duties a broker must be able to prove for each policy it distributes."""

    IPID = "ipid", _("Documento de información del producto (IPID)")
    PRECONTRACT = "precontract_info", _("Información previa a la contratación")
    DEMANDS_NEEDS = "demands_needs", _("Test de exigencias y necesidades")
    REMUNERATION = "remuneration_disclosure", _("Información sobre la remuneración")


# Short labels for table headers and counters.
EVIDENCE_SHORT = {
    EvidenceKind.IPID: _("IPID"),
    EvidenceKind.PRECONTRACT: _("Info. precontractual"),
    EvidenceKind.DEMANDS_NEEDS: _("Exigencias y necesidades"),
    EvidenceKind.REMUNERATION: _("Remuneración"),
}


class DeliveryChannel(models.TextChoices):
    PAPER = "papel", _("Papel")
    EMAIL = "email", _("Correo electrónico")
    WEB = "web", _("Web / área de clientes")
    SIGNATURE = "firma_electronica", _("Firma electrónica")


class RemunerationNature(models.TextChoices):
    """LDS art. 176.1.e): nature of the remuneration received for the contract."""

    COMMISSION = "comision", _("Comisión incluida en la prima")
    FEES = "honorarios", _("Honorarios pagados por el cliente")
    COMBINED = "combinacion", _("Combinación de comisión y honorarios")


class DecRamo(models.TextChoices):
    """Lines of business as the DGSFP classifies them (Ley 20/2015, anexo; multirriesgos as the
    DEC groups them). Codes are stable identifiers; labels carry the annex number."""

    LIFE = "vida", _("Vida")
    ACCIDENTS = "accidentes", _("1. Accidentes")
    SICKNESS = "enfermedad", _("2. Enfermedad")
    HEALTHCARE = "asistencia_sanitaria", _("2. Asistencia sanitaria")
    LAND_VEHICLES = "vehiculos_terrestres", _("3. Vehículos terrestres (daños propios)")
    GOODS_IN_TRANSIT = "transportes", _("4-7. Transportes (cascos y mercancías)")
    FIRE = "incendio", _("8. Incendio y elementos naturales")
    OTHER_DAMAGE = "otros_danos", _("9. Otros daños a los bienes")
    MOTOR_LIABILITY = "rc_vehiculos", _("10. Responsabilidad civil en vehículos terrestres automóviles")
    GENERAL_LIABILITY = "rc_general", _("13. Responsabilidad civil general")
    CREDIT = "credito", _("14. Crédito")
    SURETY = "caucion", _("15. Caución")
    PECUNIARY_LOSS = "perdidas_pecuniarias", _("16. Pérdidas pecuniarias diversas")
    LEGAL_EXPENSES = "defensa_juridica", _("17. Defensa jurídica")
    ASSISTANCE = "asistencia", _("18. Asistencia")
    FUNERAL = "decesos", _("19. Decesos")
    HOME = "multirriesgo_hogar", _("Multirriesgo hogar")
    SHOPS = "multirriesgo_comercio", _("Multirriesgo comercio")
    COMMUNITIES = "multirriesgo_comunidades", _("Multirriesgo comunidades")
    INDUSTRIAL = "multirriesgo_industrial", _("Multirriesgo industrial y empresas")
    OTHER_MULTI = "otros_multirriesgos", _("Otros multirriesgos")


# Defaults for our line apps (apps/lines/<code>): the brokerage may change them.
DEFAULT_RAMO_BY_LINE = {
    "autos": DecRamo.MOTOR_LIABILITY,
    "hogar": DecRamo.HOME,
    "salud": DecRamo.HEALTHCARE,
    "vida": DecRamo.LIFE,
    "decesos": DecRamo.FUNERAL,
    "accidentes": DecRamo.ACCIDENTS,
    "rc": DecRamo.GENERAL_LIABILITY,
    "empresas": DecRamo.INDUSTRIAL,
}
# A line without its own default: from the line's DGSFP class (apps.insurance.choices.DgsfpClass).
DEFAULT_RAMO_BY_CLASS = {
    "01": DecRamo.ACCIDENTS, "02": DecRamo.SICKNESS, "03": DecRamo.LAND_VEHICLES, "04": DecRamo.GOODS_IN_TRANSIT,
    "05": DecRamo.GOODS_IN_TRANSIT, "06": DecRamo.GOODS_IN_TRANSIT, "07": DecRamo.GOODS_IN_TRANSIT,
    "08": DecRamo.FIRE, "09": DecRamo.OTHER_DAMAGE, "10": DecRamo.MOTOR_LIABILITY, "11": DecRamo.GENERAL_LIABILITY,
    "12": DecRamo.GENERAL_LIABILITY, "13": DecRamo.GENERAL_LIABILITY, "14": DecRamo.CREDIT, "15": DecRamo.SURETY,
    "16": DecRamo.PECUNIARY_LOSS, "17": DecRamo.LEGAL_EXPENSES, "18": DecRamo.ASSISTANCE, "19": DecRamo.FUNERAL,
    "VI": DecRamo.LIFE,
}
