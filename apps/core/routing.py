from django.urls import path

from apps.collaboration.consumers import CollaborationConsumer
from apps.collaboration.consumers_notes import NoteConsumer
from apps.notifications.consumers import NotificationConsumer, RecordConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/records/", RecordConsumer.as_asgi()),
    path("ws/collab/", CollaborationConsumer.as_asgi()),
    path("ws/notes/", NoteConsumer.as_asgi()),
]
