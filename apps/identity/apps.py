from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "apps.identity"
    verbose_name = _("Usuarios y roles")

    def ready(self):
        from apps.identity import navigation, signals  # noqa: F401
        from apps.identity.api import schema  # noqa: F401

        post_migrate.connect(signals.sync_roles_after_migrate, dispatch_uid="identity_sync_roles")
