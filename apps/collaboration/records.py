"""Which record a collaboration thing hangs on. A record is named by its live-record key
("<app_label>.<model>.<pk>", apps.notifications.realtime): the same key drives presence, comments,
the shared note and the live updates, and the same rule (`can_view_record`, registered by the app that
owns the record) decides who may take part."""
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from apps.collaboration.errors import CollaborationError
from apps.notifications.realtime import RECORD_KEY, can_view_record, is_live_kind, record_key


# Kinds whose colleagues' talk must stay narrower than the page: an employee may open their own record,
# but the comments and note HR writes on it are HR's ("<app_label>.<model>" -> rule(user, pk) -> bool).
_narrower_rules: dict = {}


def register_collaboration_rule(kind: str, rule) -> None:
    """Who may take part (presence, comments, note) on records of `kind`, on top of viewing them."""
    _narrower_rules[kind] = rule


def can_collaborate(user, key: str) -> bool:
    """Whether `user` may see and join the collaboration of record `key`: may view it, and pass the kind's
    narrower rule if it registered one."""
    return can_view_record(user, key) and passes_narrower_rule(user, key)


def passes_narrower_rule(user, key: str) -> bool:
    """The kind's narrower rule alone (for a page that has already checked the user may view the record)."""
    match = RECORD_KEY.match(key)
    rule = _narrower_rules.get(match["kind"]) if match else None
    return rule is None or bool(rule(user, int(match["pk"])))


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
    if match is None or not can_collaborate(user, key):
        raise CollaborationError(_("No existe el registro o no tiene acceso a él."), code="collab_record_unknown",
                                 status=404)
    app_label, model = match["kind"].split(".")
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        raise CollaborationError(_("No existe el registro o no tiene acceso a él."), code="collab_record_unknown",
                                 status=404) from None
    return content_type, int(match["pk"])
