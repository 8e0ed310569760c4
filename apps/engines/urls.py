"""Staff pages under /motores/ (apps.engines.views.*)."""
from apps.core.areas import area_modules

app_name = "engines"
urlpatterns = [pattern for module in area_modules("apps.engines.views") for pattern in getattr(module, "urlpatterns", [])]
