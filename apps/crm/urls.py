"""Staff pages of the CRM: each area's views module declares its own urlpatterns."""
from apps.crm.views import activities, campaigns, gdpr, imports, parties, party_360, pipeline

app_name = "crm"
urlpatterns = [
    *parties.urlpatterns,
    *party_360.urlpatterns,
    *imports.urlpatterns,
    *gdpr.urlpatterns,
    *campaigns.urlpatterns,
    *pipeline.urlpatterns,
    *activities.urlpatterns,
]
