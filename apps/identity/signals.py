"""Wiring only: login events become audit events; roles are refreshed after migrations."""
from django.apps import apps as global_apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from axes.signals import user_locked_out

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record


@receiver(user_logged_in, dispatch_uid="identity_audit_login")
def audit_login(sender, request, user, **kwargs):
    from apps.identity.services.login_events import login_succeeded

    login_succeeded(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="identity_audit_logout")
def audit_logout(sender, request, user, **kwargs):
    from apps.identity.services.sessions import session_forget

    session = getattr(request, "session", None)
    session_forget(session_key=getattr(session, "session_key", None))
    if user is not None:
        reason = getattr(request, "identity_logout_reason", "")
        audit_event_record(actor=user, action=AuditAction.LOGOUT, obj=user, changes={"reason": reason} if reason else None)


@receiver(user_login_failed, dispatch_uid="identity_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    from apps.identity.security import axes_username, client_ip

    changes = {"email": axes_username(None, credentials), "ip": client_ip(request) if request is not None else None,
               "reason": str(credentials.get("reason") or "password")}
    audit_event_record(actor=None, action=AuditAction.LOGIN_FAILED, changes=changes)


@receiver(user_locked_out, dispatch_uid="identity_audit_locked_out")
def audit_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    from apps.identity.services.lockouts import login_locked_record

    login_locked_record(username=username or "", ip=ip_address)


def last_migrated_app_label() -> str:
    """The app whose post_migrate comes last in a migrate run (Django sends it once per app with
    models, in INSTALLED_APPS order): by then every app's permissions exist."""
    return [config for config in global_apps.get_app_configs() if config.models_module is not None][-1].label


def sync_roles_after_migrate(sender, **kwargs):
    # Not on identity's own signal: the apps after it (crm and every later module) would not
    # have their permissions yet, and the roles would miss them until the next migrate.
    if sender.label != last_migrated_app_label():
        return
    from django.db import connection

    if connection.schema_name == "public":
        return
    from apps.identity.services.roles import roles_sync

    roles_sync()
