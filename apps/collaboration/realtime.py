"""The collaboration channel group of a record: presence, comment and note events travel on it.

It is apart from the live-record group (apps.notifications.realtime.record_group) so the sockets that
only follow "this record changed" never receive collaboration traffic. Its name carries the schema,
like every group, so one brokerage never hears another's.
"""
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from apps.notifications.realtime import record_group


def collab_group(key: str, schema: str | None = None) -> str:
    return f"{record_group(key, schema)}.collab"


def broadcast(key: str, message: dict, schema: str | None = None) -> None:
    """Sends `message` (a JSON-able dict with a "type") to every collaboration socket on record `key`.
    Call it after the commit (transaction.on_commit) of what it announces."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(collab_group(key, schema), {"type": "collab.event", "message": message})
