from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditedModel(models.Model):
    """Base for every business record: who and when, plus a version for optimistic locking.

    Change records through apps.core.services.records (or a domain service that uses it):
    they check the version, bump it and write the audit event.
    """

    created_at = models.DateTimeField(_("creado"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("modificado"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("creado por"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("modificado por"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    version = models.PositiveIntegerField(_("versión"), default=1, editable=False)

    # Field names the generic audit diff leaves out (bookkeeping, not business data).
    AUDIT_EXCLUDE = ("created_at", "updated_at", "created_by", "updated_by", "version")

    class Meta:
        abstract = True


class IdempotencyRecord(models.Model):
    """The stored answer to a POST sent with an Idempotency-Key, replayed on retries."""

    key = models.CharField(max_length=255)
    user_id = models.BigIntegerField(null=True)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("clave de idempotencia")
        verbose_name_plural = _("claves de idempotencia")
        constraints = [models.UniqueConstraint(fields=["key", "user_id", "path"], name="core_idempotency_unique")]
