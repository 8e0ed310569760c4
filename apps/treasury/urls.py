"""Staff pages: every module of apps.treasury.views that declares urlpatterns."""
from apps.core.areas import area_modules

app_name = "treasury"
urlpatterns = [pattern for module in area_modules("apps.treasury.views") for pattern in getattr(module, "urlpatterns", [])]
