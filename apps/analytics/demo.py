"""Demo analytics: the demo administrator subscribed to the Dirección dashboard monthly (the data the
dashboards show comes from the other apps' demos). Skips when the subscription exists."""
from aitcore.registry import registry
from apps.analytics.choices import Frequency
from apps.analytics.models import ReportSubscription


def analytics_demo_seed(*, admin) -> dict:
    from apps.analytics.dashboards import user_dashboards
    from apps.analytics.services import subscription_create

    if admin is None or ReportSubscription.objects.filter(user=admin).exists():
        return {}
    dashboards = [code for code, _label in user_dashboards(admin)]
    if not dashboards:
        return {}
    subscription_create(actor=admin, user=admin, dashboard=dashboards[0], frequency=Frequency.MONTHLY)
    return {"subscriptions": 1}


registry.register_demo_seeder(analytics_demo_seed)
