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
