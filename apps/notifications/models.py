from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("destinatario")
    )
    kind = models.CharField(_("tipo"), max_length=50, default="info")
    title = models.CharField(_("título"), max_length=200)
    body = models.TextField(_("texto"), blank=True)
    url = models.CharField(_("enlace"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("leída"), null=True, blank=True)

    class Meta:
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread_idx")]

    def __str__(self):
        return self.title

    def as_message(self) -> dict:
        return {
            "id": self.pk, "kind": self.kind, "title": self.title, "body": self.body, "url": self.url,
            "created_at": self.created_at.isoformat(), "read": self.read_at is not None,
        }
