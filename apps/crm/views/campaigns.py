"""CRM campaigns pages."""
urlpatterns = []
