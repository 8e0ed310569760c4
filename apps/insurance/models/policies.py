"""Policies and their versions. A version is an immutable snapshot of risk, coverages and
premium; an endorsement adds a version, it never edits one."""
from django.conf import settings
from django.db import models
from django.contrib.postgres.indexes import OpClass
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from apps.core.encryption import HealthJSONField
from apps.core.models import AuditedModel
from apps.insurance.choices import CancellationReason, PaymentFrequency, PaymentMethod, PolicyState, VersionKind


class Policy(AuditedModel):
    insurer = models.ForeignKey("insurance.Insurer", verbose_name=_("compañía"), on_delete=models.PROTECT,
                                related_name="policies")
    number = models.CharField(_("número de póliza"), max_length=40)
    product = models.ForeignKey("insurance.Product", verbose_name=_("producto"), on_delete=models.PROTECT,
                                related_name="policies")
    line = models.ForeignKey("insurance.Line", verbose_name=_("ramo"), on_delete=models.PROTECT, related_name="policies")
    policyholder = models.ForeignKey("crm.Party", verbose_name=_("tomador"), on_delete=models.PROTECT,
                                     related_name="policies")
    state = models.CharField(_("estado"), max_length=10, choices=PolicyState.choices, default=PolicyState.DRAFT)
    start_date = models.DateField(_("fecha de efecto"))
    term_months = models.PositiveSmallIntegerField(_("duración (meses)"), default=12)
    expiry_date = models.DateField(_("fecha de vencimiento"), editable=False)
    tacit_renewal = models.BooleanField(_("renovación tácita"), default=True)
    payment_frequency = models.CharField(_("fraccionamiento"), max_length=10, choices=PaymentFrequency.choices,
                                         default=PaymentFrequency.ANNUAL)
    payment_method = models.CharField(_("forma de cobro"), max_length=12, choices=PaymentMethod.choices,
                                      default=PaymentMethod.BROKER_SEPA)
    # Denormalised from the current version for lists and filters.
    current_version = models.ForeignKey("insurance.PolicyVersion", verbose_name=_("versión vigente"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    risk_summary = models.CharField(_("riesgo"), max_length=300, blank=True)
    net_premium = models.DecimalField(_("prima neta anual"), max_digits=12, decimal_places=2, default=0)
    total_premium = models.DecimalField(_("prima total anual"), max_digits=12, decimal_places=2, default=0)
    quote = models.ForeignKey("insurance.Quote", verbose_name=_("proyecto de origen"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="policies")
    renewal_of = models.OneToOneField("self", verbose_name=_("renovación de"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="renewed_by")
    cancellation_date = models.DateField(_("fecha de anulación"), null=True, blank=True)
    cancellation_reason = models.CharField(_("motivo de anulación"), max_length=12, choices=CancellationReason.choices,
                                           blank=True)
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("póliza")
        verbose_name_plural = _("pólizas")
        ordering = ["-start_date", "-pk"]
        constraints = [
            # A renewal continues the contract and may keep its number: unique per insurer and start.
            # The services refuse the same number for a different contract (see services.policies).
            models.UniqueConstraint(fields=["insurer", "number", "start_date"], name="insurance_policy_number_unique",
                                    violation_error_message=_("Ya existe una póliza con este número en esta compañía.")),
            models.CheckConstraint(condition=Q(expiry_date__gte=models.F("start_date")),
                                   name="insurance_policy_dates",
                                   violation_error_message=_("El vencimiento no puede ser anterior al efecto.")),
        ]
        indexes = [
            models.Index(fields=["state", "expiry_date"], name="insurance_policy_state_exp"),
            models.Index(fields=["line", "state", "-start_date"], name="insurance_policy_line_idx"),
            models.Index(fields=["insurer", "state", "-start_date"], name="insurance_policy_insurer_idx"),
            models.Index(fields=["expiry_date"], name="insurance_policy_expiry_idx"),
            # the list's default order: its first page is read from this index, not sorted
            models.Index(fields=["-start_date", "-id"], name="insurance_policy_recent_idx"),
            # the renewal view of the list: a line's policies in a state expiring in a given month
            models.Index(fields=["line", "state", "expiry_date"], name="insurance_policy_line_exp_idx"),
            # number search is a case-insensitive prefix (number__istartswith -> UPPER(number) LIKE 'X%')
            models.Index(OpClass(Upper("number"), name="text_pattern_ops"), name="insurance_policy_number_idx"),
            models.Index(fields=["policyholder", "-start_date"], name="insurance_policy_holder_idx"),
        ]

    def __str__(self):
        return f"{self.number} ({self.insurer})"


class PolicyVersion(models.Model):
    """An immutable snapshot: what the policy covered from `effective_date` on."""

    policy = models.ForeignKey(Policy, verbose_name=_("póliza"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versión"))
    kind = models.CharField(_("tipo"), max_length=12, choices=VersionKind.choices)
    effective_date = models.DateField(_("fecha de efecto"))
    reason = models.CharField(_("motivo"), max_length=300, blank=True)
    risk_data = HealthJSONField(_("datos del riesgo"), default=dict)
    risk_summary = models.CharField(_("riesgo"), max_length=300, blank=True)
    insured = HealthJSONField(_("asegurados"), default=list, blank=True)
    beneficiaries = models.JSONField(_("beneficiarios"), default=list, blank=True)
    coverages = models.JSONField(_("garantías"), default=list, blank=True)
    sum_insured = models.DecimalField(_("suma asegurada"), max_digits=14, decimal_places=2, null=True, blank=True)
    net_premium = models.DecimalField(_("prima neta anual"), max_digits=12, decimal_places=2, default=0)
    ips = models.DecimalField(_("IPS"), max_digits=12, decimal_places=2, default=0)
    consorcio = models.DecimalField(_("recargo Consorcio"), max_digits=12, decimal_places=2, default=0)
    clea = models.DecimalField(_("recargo CLEA"), max_digits=12, decimal_places=2, default=0)
    total_premium = models.DecimalField(_("prima total anual"), max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("creada por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("versión de póliza")
        verbose_name_plural = _("versiones de póliza")
        ordering = ["policy", "number"]
        constraints = [models.UniqueConstraint(fields=["policy", "number"], name="insurance_version_unique")]

    def __str__(self):
        return f"{self.policy.number} v{self.number}"


class PolicyStateChange(models.Model):
    policy = models.ForeignKey(Policy, verbose_name=_("póliza"), on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(_("de"), max_length=10, choices=PolicyState.choices, blank=True)
    to_state = models.CharField(_("a"), max_length=10, choices=PolicyState.choices)
    effective_date = models.DateField(_("fecha de efecto"))
    reason = models.CharField(_("motivo"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("cambio de estado")
        verbose_name_plural = _("cambios de estado")
        ordering = ["policy", "created_at", "pk"]

    def __str__(self):
        return f"{self.policy.number}: {self.from_state} → {self.to_state}"
