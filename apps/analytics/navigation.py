"""What this app registers at ready(): each views module's MENU and each api module's ROUTES, the
home-page KPI widget and the demo seeder."""
from django.utils.translation import gettext_lazy as _

from aitcore.registry import Widget, registry
from apps.analytics.dashboards import VIEW_PERMISSION
from apps.analytics.widgets import kpi_widget
from apps.core.areas import register_areas

register_areas("apps.analytics")
registry.register_widget(Widget(title=_("Indicadores del mes"), template="analytics/_widget.html",
                                context=kpi_widget, permission=VIEW_PERMISSION, order=20))

from apps.analytics import demo  # noqa: E402,F401  (registers the demo seeder)
