"""Staff pages: every module of apps.collaboration.views that declares urlpatterns."""
from apps.core.areas import area_modules

app_name = "collaboration"
urlpatterns = [pattern for module in area_modules("apps.collaboration.views")
               for pattern in getattr(module, "urlpatterns", [])]
