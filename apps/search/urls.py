"""Staff pages: every module of apps.search.views that declares urlpatterns."""
from apps.core.areas import area_modules

app_name = "search"
urlpatterns = [pattern for module in area_modules("apps.search.views") for pattern in getattr(module, "urlpatterns", [])]
