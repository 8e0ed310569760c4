"""Staff pages under /cumplimiento/: every module of apps.compliance.views that declares urlpatterns."""
from apps.core.areas import area_modules

app_name = "compliance"
urlpatterns = [pattern for module in area_modules("apps.compliance.views") for pattern in getattr(module, "urlpatterns", [])]
