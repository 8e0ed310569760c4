"""What this app registers at ready(): menu entries, the record panels, API routes and the demo seeder."""
from django.utils.translation import gettext_lazy as _l

from aitcore.registry import MenuEntry, registry
from apps.predictive import panels  # noqa: F401  (registers the record panels)
from apps.predictive.api import ROUTES

SECTION = _l("Analítica")  # the analytics section of the menu
registry.register_menu(MenuEntry(section=SECTION, label=_l("Riesgos más altos"), url_name="predictive:top-risk",
                                 icon="bi-shield-exclamation", permission="predictive.view_score", order=85))
registry.register_menu(MenuEntry(section=SECTION, label=_l("Modelos predictivos"), url_name="predictive:model-list",
                                 icon="bi-cpu", permission="predictive.view_modelversion", order=86))
for _prefix, _viewset, _basename in ROUTES:
    registry.register_api(_prefix, _viewset, _basename)

from apps.predictive import demo  # noqa: E402,F401  (registers the demo seeder)
