"""Staff pages: every module of apps.documents.views that declares urlpatterns."""
from apps.core.areas import area_modules

app_name = "documents"
urlpatterns = [pattern for module in area_modules("apps.documents.views") for pattern in
               getattr(module, "urlpatterns", [])]
