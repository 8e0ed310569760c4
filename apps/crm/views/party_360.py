"""CRM party_360 pages."""
urlpatterns = []
