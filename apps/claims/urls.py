"""Staff pages: every module of apps.claims.views that declares urlpatterns."""
from apps.core.areas import area_modules

app_name = "claims"
urlpatterns = [pattern for module in area_modules("apps.claims.views") for pattern in getattr(module, "urlpatterns", [])]
