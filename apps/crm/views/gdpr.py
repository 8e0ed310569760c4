"""CRM gdpr pages."""
urlpatterns = []
