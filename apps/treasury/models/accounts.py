"""The brokerage's bank accounts and its clients' SEPA direct-debit mandates."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.treasury.choices import MandateKind, MandateScheme, MandateState


class BankAccount(AuditedModel):
    name = models.CharField(_("nombre"), max_length=100)
    iban = models.CharField(_("IBAN"), max_length=34, unique=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    creditor_id = models.CharField(_("identificador de acreedor SEPA"), max_length=35, blank=True,
                                   help_text=_("ES + 2 dígitos de control + sufijo de 3 caracteres + NIF."))
    account = models.ForeignKey("accounting.Account", verbose_name=_("cuenta contable (572)"),
                                on_delete=models.PROTECT, related_name="bank_accounts")
    is_default = models.BooleanField(_("cuenta de cobros por defecto"), default=False)
    is_active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("cuenta bancaria")
        verbose_name_plural = _("cuentas bancarias")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True),
                                               name="treasury_one_default_account")]

    def __str__(self):
        return f"{self.name} ({self.iban[-4:]})"


class Mandate(AuditedModel):
    reference = models.CharField(_("referencia única del mandato"), max_length=35, unique=True)
    party = models.ForeignKey("crm.Party", verbose_name=_("deudor"), on_delete=models.PROTECT,
                              related_name="mandates")
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    signature_date = models.DateField(_("fecha de firma"))
    scheme = models.CharField(_("esquema"), max_length=4, choices=MandateScheme.choices, default=MandateScheme.CORE)
    kind = models.CharField(_("tipo"), max_length=10, choices=MandateKind.choices, default=MandateKind.RECURRENT)
    state = models.CharField(_("estado"), max_length=8, choices=MandateState.choices, default=MandateState.ACTIVE)
    last_used_on = models.DateField(_("último adeudo"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("adeudos presentados"), default=0)
    previous_iban = models.CharField(_("IBAN anterior"), max_length=34, blank=True,
                                     help_text=_("Tras una modificación de cuenta el siguiente adeudo vuelve a ser FRST."))
    amended_on = models.DateField(_("modificado el"), null=True, blank=True)
    revoked_on = models.DateField(_("revocado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("mandato SEPA")
        verbose_name_plural = _("mandatos SEPA")
        ordering = ["-signature_date", "-pk"]
        indexes = [models.Index(fields=["party", "state"], name="treasury_mandate_party_idx")]

    def __str__(self):
        return self.reference
