"""Wiring only: login events become audit events; roles are refreshed after migrations."""
from django.apps import apps as global_apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record


@receiver(user_logged_in, dispatch_uid="identity_audit_login")
def audit_login(sender, request, user, **kwargs):
    audit_event_record(actor=user, action=AuditAction.LOGIN, obj=user)


@receiver(user_logged_out, dispatch_uid="identity_audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_event_record(actor=user, action=AuditAction.LOGOUT, obj=user)


@receiver(user_login_failed, dispatch_uid="identity_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    attempted = str(credentials.get("username") or credentials.get("email") or "")[:254]
    audit_event_record(actor=None, action=AuditAction.LOGIN_FAILED, changes={"email": attempted})


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
