"""Staff pages of the insurance core: each area's views module declares its own urlpatterns."""
from apps.insurance.views import catalog, policies, quotes, renewals

app_name = "insurance"
urlpatterns = [*catalog.urlpatterns, *quotes.urlpatterns, *policies.urlpatterns, *renewals.urlpatterns]
