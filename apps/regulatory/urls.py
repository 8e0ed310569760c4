"""Staff pages: every module of apps.regulatory.views that declares urlpatterns."""
from apps.core.areas import area_modules

app_name = "regulatory"
urlpatterns = [pattern for module in area_modules("apps.regulatory.views") for pattern in getattr(module, "urlpatterns", [])]
