"""CRM activities pages."""
urlpatterns = []
