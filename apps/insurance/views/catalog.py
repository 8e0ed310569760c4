"""Staff pages: catalog. (Filled in by the catalog work.)"""
MENU = []
urlpatterns = []
