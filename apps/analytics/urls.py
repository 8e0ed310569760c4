"""Staff pages: every module of apps.analytics.views that declares urlpatterns."""
from apps.core.areas import area_modules

app_name = "analytics"
urlpatterns = [pattern for module in area_modules("apps.analytics.views") for pattern in getattr(module, "urlpatterns", [])]
