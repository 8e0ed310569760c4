from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounting.choices import ChartKind
from apps.core.models import AuditedModel


class AccountingSettings(models.Model):
    """One row per brokerage: the chart it keeps (chosen at provisioning)."""

    chart = models.CharField(_("plan contable"), max_length=20, choices=ChartKind.choices, default=ChartKind.PGC_PYMES)
    subaccount_digits = models.PositiveSmallIntegerField(
        _("dígitos de subcuenta"), default=10,
        help_text=_("Longitud de las subcuentas de terceros (p. ej. 4300000123)."),
    )

    class Meta:
        verbose_name = _("configuración contable")
        verbose_name_plural = _("configuración contable")

    def __str__(self):
        return str(self.get_chart_display())


class Account(AuditedModel):
    """An account of the chart. The hierarchy follows the code prefix; only leaves take postings."""

    code = models.CharField(_("código"), max_length=12, unique=True,
                            error_messages={"unique": _("Ya existe una cuenta con este código.")})
    name = models.CharField(_("nombre"), max_length=200)
    parent = models.ForeignKey("self", verbose_name=_("cuenta madre"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    is_official = models.BooleanField(_("oficial del PGC"), default=False, editable=False)
    is_postable = models.BooleanField(_("admite asientos"), default=True, editable=False,
                                      help_text=_("Solo las cuentas sin subcuentas reciben apuntes."))
    party = models.ForeignKey("crm.Party", verbose_name=_("tercero"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="accounts")
    layout_tag = models.CharField(_("partida de cuentas anuales"), max_length=80, blank=True, editable=False)
    is_active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("cuenta")
        verbose_name_plural = _("cuentas")
        ordering = ["code"]
        indexes = [models.Index(fields=["party", "code"], name="acc_account_party_idx")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def group(self) -> str:
        return self.code[:1]


class AccountMapping(models.Model):
    """Which account a posting role uses in this brokerage (commission income, bank fees...)."""

    role = models.CharField(_("función"), max_length=40, unique=True)
    account = models.ForeignKey(Account, verbose_name=_("cuenta"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("cuenta por función")
        verbose_name_plural = _("cuentas por función")
        ordering = ["role"]

    def __str__(self):
        return f"{self.role} → {self.account.code}"
