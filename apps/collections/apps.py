from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionsConfig(AppConfig):
    name = "apps.collections"
    label = "collections"
    verbose_name = _("Recibos, comisiones y liquidaciones")

    def ready(self):
        from apps.collections import navigation, realtime  # noqa: F401
        from apps.collections.services.policy_hooks import register_policy_hooks

        register_policy_hooks()
