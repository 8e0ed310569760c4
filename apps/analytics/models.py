"""Scheduled e-mail of a dashboard as PDF (weekly or monthly). The dashboards themselves are code
(apps.analytics.dashboards): the custom permission `view_dashboard` opens /analitica/."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.analytics.choices import Frequency


class ReportSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.CASCADE,
                             related_name="report_subscriptions")
    dashboard = models.CharField(_("cuadro de mando"), max_length=20)
    frequency = models.CharField(_("frecuencia"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    next_send = models.DateField(_("próximo envío"))
    last_sent_at = models.DateTimeField(_("último envío"), null=True, blank=True)
    is_active = models.BooleanField(_("activa"), default=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)

    class Meta:
        verbose_name = _("suscripción a informe")
        verbose_name_plural = _("suscripciones a informes")
        ordering = ["user", "dashboard", "frequency"]
        permissions = [("view_dashboard", _("Puede ver los cuadros de mando"))]
        constraints = [models.UniqueConstraint(fields=["user", "dashboard", "frequency"],
                                               name="analytics_subscription_unique")]
        indexes = [models.Index(fields=["is_active", "next_send"], name="analytics_sub_due_idx")]

    def __str__(self):
        return f"{self.user} · {self.dashboard} ({self.get_frequency_display()})"
