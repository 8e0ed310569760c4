"""Which record a collaboration thing hangs on. A record is named by its live-record key
("<app_label>.<model>.<pk>", apps.notifications.realtime): the same key drives presence, comments,
the shared note and the live updates, and the same rule (`can_view_record`, registered by the app that
owns the record) decides who may take part."""
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from apps.collaboration.errors import CollaborationError
from apps.notifications.realtime import RECORD_KEY, can_view_record, is_live_kind, record_key


def key_of(obj) -> str:
    meta = obj._meta
    return record_key(f"{meta.app_label}.{meta.model_name}", obj.pk)


def is_collaborative(obj) -> bool:
    """Whether `obj`'s kind registered who may view it (only those get presence, comments and notes)."""
    meta = obj._meta
    return is_live_kind(f"{meta.app_label}.{meta.model_name}")


def resolve(user, key: str) -> tuple[ContentType, int]:
    """The content type and pk behind `key`, if `user` may view that record; otherwise a 404-style
    refusal that does not tell whether the record exists."""
    match = RECORD_KEY.match(str(key or ""))
    if match is None or not can_view_record(user, key):
        raise CollaborationError(_("No existe el registro o no tiene acceso a él."), code="collab_record_unknown",
                                 status=404)
    app_label, model = match["kind"].split(".")
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        raise CollaborationError(_("No existe el registro o no tiene acceso a él."), code="collab_record_unknown",
                                 status=404) from None
    return content_type, int(match["pk"])
