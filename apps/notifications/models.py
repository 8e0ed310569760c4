from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.notifications.choices import NotificationKind


class NotificationQuerySet(models.QuerySet):
    def in_app(self):
        """What the inbox, the bell, the API and the socket show (digest-only rows are left out)."""
        return self.filter(shown_in_app=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("destinatario")
    )
    kind = models.CharField(_("tipo"), max_length=50, choices=NotificationKind.choices, default=NotificationKind.OTHER)
    title = models.CharField(_("título"), max_length=200)
    body = models.TextField(_("texto"), blank=True)
    url = models.CharField(_("enlace"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("leída"), null=True, blank=True)
    # False when the recipient turned the in-app channel off and the row exists only for the daily digest.
    shown_in_app = models.BooleanField(_("en la aplicación"), default=True)
    digest_pending = models.BooleanField(_("pendiente de resumen diario"), default=False)
    digest_sent_at = models.DateTimeField(_("enviada en el resumen"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread_idx"),
            models.Index(fields=["recipient", "created_at"], name="notif_digest_pending_idx",
                         condition=models.Q(digest_pending=True)),
        ]

    def __str__(self):
        return self.title

    def as_message(self) -> dict:
        return {
            "id": self.pk, "kind": self.kind, "title": self.title, "body": self.body, "url": self.url,
            "created_at": self.created_at.isoformat(), "read": self.read_at is not None,
        }


class NotificationPreference(models.Model):
    """How one person receives one kind of notification. No row: the defaults of
    apps.notifications.services.preferences.default_preference."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences", verbose_name=_("usuario"))
    kind = models.CharField(_("tipo"), max_length=30, choices=NotificationKind.choices)
    in_app = models.BooleanField(_("en la aplicación"), default=True)
    email_immediate = models.BooleanField(_("e-mail inmediato"), default=False)
    email_digest = models.BooleanField(_("resumen diario por e-mail"), default=False)
    updated_at = models.DateTimeField(_("modificada"), auto_now=True)

    class Meta:
        verbose_name = _("preferencia de notificación")
        verbose_name_plural = _("preferencias de notificación")
        ordering = ["user_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_user_kind_uniq")]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"
