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
    "receipts_generate": _("emisión de recibos"),
    "receipt_collect": _("cobro del recibo"),
    "receipt_return": _("devolución del recibo"),
    "receipt_cancel": _("anulación del recibo"),
    "share_set": _("participación de colaborador"),
    "share_remove": _("baja de participación de colaborador"),
    "settlement_close": _("cierre de liquidación"),
    "settlement_mark_paid": _("pago de liquidación"),
    "collaborator_settlement_close": _("cierre de liquidación al colaborador"),
    "collaborator_settlement_mark_paid": _("pago de liquidación al colaborador"),
    "claim_open": _("apertura del siniestro"),
    "claim_update": _("cambio de datos del siniestro"),
    "claim_transition": _("cambio de estado del siniestro"),
    "claim_reserve": _("cambio de reserva"),
    "claim_payment": _("pago del siniestro"),
    "claim_task_add": _("nueva tarea del siniestro"),
    "claim_task_done": _("tarea del siniestro hecha"),
    "claim_document_add": _("documento del siniestro"),
    "claim_third_party_add": _("alta de tercero implicado"),
    "claim_third_party_remove": _("baja de tercero implicado"),
    "renewals_build": _("preparación de renovaciones"),
    "renewal_set_premium": _("prima de renovación"),
    "renewal_confirm": _("renovación confirmada"),
    "renewal_decline": _("no renovación"),
    "renewal_settings_update": _("configuración de renovaciones"),
    "mandate_amend": _("modificación de cuenta del mandato"),
    "mandate_revoke": _("revocación del mandato"),
    "mandate_use": _("adeudo con el mandato"),
    "transfer_order_cancel": _("anulación de la orden de transferencias"),
    "transfer_order_settle": _("cargo de la orden de transferencias"),
    "audit_verify": _("verificación de la cadena de auditoría"),
    "sensitive_reveal": _("consulta de dato sensible sin enmascarar"),
}
