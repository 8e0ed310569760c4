"""Claims (siniestros): opened on a policy, with reserve and payments as rows (the reserve is the
last ReserveChange, the paid total the sum of payments), third parties, tasks and documents."""
from django.conf import settings
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from apps.claims.choices import ClaimCause, ClaimState, PaymentPayee, ThirdPartyRole
from apps.core.models import AuditedModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class Claim(AuditedModel):
    number = models.CharField(_("número"), max_length=30, unique=True)
    policy = models.ForeignKey("insurance.Policy", verbose_name=_("póliza"), on_delete=models.PROTECT,
                               related_name="claims")
    # Denormalised from the policy for the board, filters and statistics.
    insurer = models.ForeignKey("insurance.Insurer", verbose_name=_("compañía"), on_delete=models.PROTECT,
                                related_name="claims")
    line = models.ForeignKey("insurance.Line", verbose_name=_("ramo"), on_delete=models.PROTECT, related_name="claims")
    policyholder = models.ForeignKey("crm.Party", verbose_name=_("tomador"), on_delete=models.PROTECT,
                                     related_name="claims")
    state = models.CharField(_("estado"), max_length=10, choices=ClaimState.choices, default=ClaimState.REPORTED)
    loss_date = models.DateField(_("fecha de ocurrencia"))
    reported_date = models.DateField(_("fecha de declaración"))
    cause = models.CharField(_("causa"), max_length=12, choices=ClaimCause.choices)
    coverage_code = models.CharField(_("garantía afectada"), max_length=40)
    coverage_name = models.CharField(_("garantía"), max_length=150, blank=True)
    description = models.TextField(_("descripción"))
    location = models.CharField(_("lugar"), max_length=250, blank=True)
    insurer_claim_number = models.CharField(_("número de siniestro de la compañía"), max_length=40, blank=True)
    adjuster_name = models.CharField(_("perito"), max_length=150, blank=True)
    adjuster_phone = models.CharField(_("teléfono del perito"), max_length=30, blank=True)
    adjuster_email = models.EmailField(_("correo del perito"), blank=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tramitador"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="claims_handled")
    reserve = models.DecimalField(_("reserva"), default=0, **MONEY)
    paid_total = models.DecimalField(_("pagado"), default=0, **MONEY)
    duplicate_of = models.ForeignKey("self", verbose_name=_("posible duplicado de"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    rejection_reason = models.CharField(_("motivo de rechazo"), max_length=300, blank=True)
    closed_on = models.DateField(_("fecha de cierre"), null=True, blank=True)

    class Meta:
        verbose_name = _("siniestro")
        verbose_name_plural = _("siniestros")
        ordering = ["-reported_date", "-pk"]
        permissions = [("approve_over_reserve", _("Puede aprobar pagos por encima de la reserva"))]
        constraints = [
            models.CheckConstraint(condition=Q(reported_date__gte=models.F("loss_date")),
                                   name="claims_claim_dates",
                                   violation_error_message=_("La declaración no puede ser anterior a la ocurrencia.")),
            models.CheckConstraint(condition=Q(reserve__gte=0), name="claims_claim_reserve"),
        ]
        indexes = [
            models.Index(fields=["state", "-reported_date"], name="claims_claim_state_idx"),
            models.Index(fields=["insurer", "state"], name="claims_claim_insurer_idx"),
            models.Index(fields=["policy", "loss_date"], name="claims_claim_policy_idx"),
            models.Index(fields=["handler", "state"], name="claims_claim_handler_idx"),
            models.Index(fields=["-reported_date", "-id"], name="claims_claim_recent_idx"),
            # number search is a case-insensitive prefix (UPPER(number) LIKE 'S-2026%')
            models.Index(OpClass(Upper("number"), name="text_pattern_ops"), name="claims_claim_number_idx"),
        ]

    def __str__(self):
        return self.number


class ClaimStateChange(models.Model):
    claim = models.ForeignKey(Claim, verbose_name=_("siniestro"), on_delete=models.CASCADE,
                              related_name="state_changes")
    from_state = models.CharField(_("de"), max_length=10, choices=ClaimState.choices, blank=True)
    to_state = models.CharField(_("a"), max_length=10, choices=ClaimState.choices)
    reason = models.CharField(_("motivo"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("cambio de estado del siniestro")
        verbose_name_plural = _("cambios de estado de siniestros")
        ordering = ["claim", "created_at", "pk"]


class ReserveChange(models.Model):
    claim = models.ForeignKey(Claim, verbose_name=_("siniestro"), on_delete=models.CASCADE,
                              related_name="reserve_changes")
    date = models.DateField(_("fecha"))
    previous = models.DecimalField(_("reserva anterior"), **MONEY)
    amount = models.DecimalField(_("nueva reserva"), **MONEY)
    reason = models.CharField(_("motivo"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("cambio de reserva")
        verbose_name_plural = _("cambios de reserva")
        ordering = ["claim", "created_at", "pk"]


class ClaimPayment(models.Model):
    claim = models.ForeignKey(Claim, verbose_name=_("siniestro"), on_delete=models.PROTECT, related_name="payments")
    date = models.DateField(_("fecha de pago"))
    amount = models.DecimalField(_("importe"), **MONEY)
    payee = models.CharField(_("perceptor"), max_length=12, choices=PaymentPayee.choices)
    payee_name = models.CharField(_("nombre del perceptor"), max_length=200, blank=True)
    concept = models.CharField(_("concepto"), max_length=250, blank=True)
    over_reserve_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("aprobó el exceso sobre la reserva"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("pago del siniestro")
        verbose_name_plural = _("pagos de siniestros")
        ordering = ["claim", "date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="claims_payment_positive")]


class ThirdParty(models.Model):
    claim = models.ForeignKey(Claim, verbose_name=_("siniestro"), on_delete=models.CASCADE,
                              related_name="third_parties")
    role = models.CharField(_("papel"), max_length=10, choices=ThirdPartyRole.choices)
    name = models.CharField(_("nombre"), max_length=200)
    tax_id = models.CharField(_("NIF/NIE"), max_length=12, blank=True)
    phone = models.CharField(_("teléfono"), max_length=30, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    insurer_name = models.CharField(_("su compañía"), max_length=150, blank=True)
    policy_number = models.CharField(_("su póliza"), max_length=40, blank=True)
    vehicle_plate = models.CharField(_("matrícula"), max_length=15, blank=True)
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("tercero implicado")
        verbose_name_plural = _("terceros implicados")
        ordering = ["claim", "pk"]

    def __str__(self):
        return self.name


class ClaimTask(AuditedModel):
    claim = models.ForeignKey(Claim, verbose_name=_("siniestro"), on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("tarea"), max_length=200)
    due_date = models.DateField(_("fecha límite"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asignada a"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="claim_tasks")
    done_at = models.DateTimeField(_("hecha el"), null=True, blank=True)
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("tarea del siniestro")
        verbose_name_plural = _("tareas de siniestros")
        ordering = ["done_at", "due_date", "pk"]
        indexes = [models.Index(fields=["assignee", "done_at", "due_date"], name="claims_task_assignee_idx")]

    def __str__(self):
        return self.title


class ClaimDocument(models.Model):
    """A file attached to a claim (photos, reports, invoices). Moves to apps.documents once it lands."""

    claim = models.ForeignKey(Claim, verbose_name=_("siniestro"), on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("archivo"), upload_to="claims/%Y/%m/")
    name = models.CharField(_("nombre"), max_length=200)
    content_type = models.CharField(_("tipo de contenido"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("tamaño"), default=0)
    description = models.CharField(_("descripción"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("subido"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("documento del siniestro")
        verbose_name_plural = _("documentos de siniestros")
        ordering = ["claim", "-created_at"]

    def __str__(self):
        return self.name
