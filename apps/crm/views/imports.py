"""CRM imports pages."""
urlpatterns = []
