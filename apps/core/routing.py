from django.urls import path

from apps.notifications.consumers import NotificationConsumer, RecordConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/records/", RecordConsumer.as_asgi()),
]
