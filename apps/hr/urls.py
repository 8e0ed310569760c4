"""Staff pages: every module of apps.hr.views that declares urlpatterns."""
from apps.core.areas import area_modules

app_name = "hr"
urlpatterns = [pattern for module in area_modules("apps.hr.views") for pattern in getattr(module, "urlpatterns", [])]
