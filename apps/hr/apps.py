from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HRConfig(AppConfig):
    name = "apps.hr"
    label = "hr"
    verbose_name = _("Recursos humanos")

    def ready(self):
        from apps.hr import navigation, realtime  # noqa: F401
        from apps.hr.services import payroll_forecast, payroll_posting

        payroll_posting.register()
        payroll_forecast.register()
