from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Alta")
    UPDATE = "update", _("Modificación")
    DELETE = "delete", _("Baja")
    LOGIN = "login", _("Inicio de sesión")
    LOGIN_FAILED = "login_failed", _("Acceso fallido")
    LOGOUT = "logout", _("Cierre de sesión")
    ACTION = "action", _("Acción")


# Readable names of the `verb` codes services write (the code stays stable for integrators).
VERB_LABELS = {
    "job_start": _("inicio de proceso"),
    "revoke": _("revocación"),
    "suspend": _("suspensión"),
    "reactivate": _("reactivación"),
    "tenant_provisioned": _("alta de la correduría"),
    "party_contact_data": _("datos de contacto"),
    "party_relation": _("relaciones"),
    "party_merge": _("fusión de clientes duplicados"),
    "opportunity_won": _("oportunidad ganada"),
    "post": _("contabilización"),
    "invoice_validate": _("validación de factura"),
    "vat_settle": _("liquidación de IVA"),
    "year_end_close": _("cierre del ejercicio"),
    "year_end_reopen": _("reapertura del ejercicio"),
    "state_open": _("apertura"),
    "state_closed": _("cierre"),
    "state_locked": _("bloqueo"),
}
