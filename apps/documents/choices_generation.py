"""The documents generated from the brokerage's templates (issue 11 item 3)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateCode(models.TextChoices):
    POLICY_CERTIFICATE = "policy_certificate", _("Certificado de póliza")
    RECEIPT = "receipt", _("Recibo")
    QUOTE_COMPARISON = "quote_comparison", _("Comparativa de proyecto")
    INVOICE = "invoice", _("Factura")
    SETTLEMENT_STATEMENT = "settlement_statement", _("Liquidación")
    PAYSLIP = "payslip", _("Nómina")
    LETTER = "letter", _("Carta a cliente (combinación de correspondencia)")
