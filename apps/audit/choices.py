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
    "quote_rerate": _("nueva tarificación del proyecto"),
    "quote_send": _("envío del proyecto"),
    "quote_accept": _("aceptación del proyecto"),
    "quote_reject": _("rechazo del proyecto"),
    "quote_expire": _("caducidad del proyecto"),
    "policy_issue": _("emisión de la póliza"),
    "policy_endorse": _("suplemento"),
    "policy_suspend": _("suspensión de la póliza"),
    "policy_resume": _("rehabilitación de la cobertura"),
    "policy_cancel": _("anulación de la póliza"),
    "policy_reactivate": _("rehabilitación de la póliza"),
    "policy_expire": _("vencimiento de la póliza"),
    "policy_renew": _("renovación de la póliza"),
}
