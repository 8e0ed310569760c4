from aitcore.registry import registry
from apps.notifications.api.views import NotificationViewSet

registry.register_api("notifications", NotificationViewSet, "notification")
