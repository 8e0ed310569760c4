from django.utils.translation import gettext_lazy as _

from aitcore.registry import MenuEntry, Widget, registry
from apps.core.selectors import activity_widget

registry.register_menu(MenuEntry(section=_("Inicio"), label=_("Panel"), url_name="core:dashboard",
                                 icon="bi-speedometer2", order=0))
registry.register_widget(Widget(title=_("Actividad de los últimos 14 días"), template="core/_activity_widget.html",
                                context=activity_widget, permission="audit.view_auditevent", order=10))
