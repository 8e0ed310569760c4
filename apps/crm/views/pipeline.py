"""CRM pipeline pages."""
urlpatterns = []
