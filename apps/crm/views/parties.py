"""CRM parties pages."""
urlpatterns = []
