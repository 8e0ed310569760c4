"""Channel groups carry the schema name so one brokerage never hears another's traffic."""
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection


def user_group(user_id: int, schema: str | None = None) -> str:
    return f"{schema or connection.schema_name}.user.{user_id}"


def push_to_user(user_id: int, message: dict, schema: str | None = None) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(user_group(user_id, schema), {"type": "push", "message": message})
