"""Staff pages: every module of apps.collections.views that declares urlpatterns."""
from apps.core.areas import area_modules

app_name = "collections"
urlpatterns = [pattern for module in area_modules("apps.collections.views") for pattern in getattr(module, "urlpatterns", [])]
