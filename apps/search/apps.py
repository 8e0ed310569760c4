from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "apps.search"
    label = "search"
    verbose_name = _("Búsqueda")

    def ready(self):
        from apps.search import navigation, subscriptions  # noqa: F401
        from apps.search.sources import discover_sources

        discover_sources()
        subscriptions.register()
