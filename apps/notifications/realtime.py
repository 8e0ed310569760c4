"""Channel groups carry the schema name so one brokerage never hears another's traffic.

Two kinds of groups: a user's own (notifications, job progress) and a record's (live record
pages). A page that shows one record, e.g. the client 360° page, subscribes on /ws/records/ to
the record's key ("crm.party.12"); the app that owns the record registers who may view it
(`register_live_record`) and calls `record_changed` after a commit that changed it. Only the
key travels: the page re-reads what changed through its own, permission-checked, HTTP views.
"""
import re
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection

# "<app_label>.<model>.<pk>"
RECORD_KEY = re.compile(r"^(?P<kind>[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\.(?P<pk>\d{1,18})$")
_record_viewers: dict[str, Callable] = {}


def user_group(user_id: int, schema: str | None = None) -> str:
    return f"{schema or connection.schema_name}.user.{user_id}"


def push_to_user(user_id: int, message: dict, schema: str | None = None) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(user_group(user_id, schema), {"type": "push", "message": message})


# --- live records -------------------------------------------------------------------------

def register_live_record(kind: str, can_view: Callable) -> None:
    """`kind` is "<app_label>.<model>"; can_view(user, pk) -> bool says who may follow one record
    (run in the tenant's schema; the same rule as the record's page)."""
    _record_viewers[kind] = can_view


def is_live_kind(kind: str) -> bool:
    """Whether records of `kind` ("<app_label>.<model>") registered who may follow them."""
    return kind in _record_viewers


def record_key(kind: str, pk) -> str:
    return f"{kind}.{int(pk)}"


def record_group(key: str, schema: str | None = None) -> str:
    return f"{schema or connection.schema_name}.record.{key}"


def can_view_record(user, key: str) -> bool:
    """Whether `user` may follow record `key` (an unknown kind or a malformed key: no)."""
    match = RECORD_KEY.match(str(key or ""))
    if match is None or match["kind"] not in _record_viewers or not getattr(user, "is_authenticated", False):
        return False
    return bool(_record_viewers[match["kind"]](user, int(match["pk"])))


def record_changed(key: str, schema: str | None = None) -> None:
    """Tells the pages following `key` that it changed (call it after the commit)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(record_group(key, schema), {"type": "record.changed", "key": key})
