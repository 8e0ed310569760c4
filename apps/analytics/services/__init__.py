from apps.analytics.services.reports import reports_send_due  # noqa: F401
from apps.analytics.services.subscriptions import subscription_create, subscription_delete  # noqa: F401
