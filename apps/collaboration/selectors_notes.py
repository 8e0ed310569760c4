"""Reads of shared notes: the stored note of a record, its Yjs state for a socket that opens."""
from apps.collaboration.models import SharedNote
from apps.collaboration.records import resolve
from apps.collaboration.records import can_collaborate
from apps.notifications.realtime import record_key

RECENT_NOTES = 50


def note_of(content_type, object_id: int) -> SharedNote | None:
    """The record's note (None until someone first writes in it)."""
    return (SharedNote.objects.select_related("updated_by")
            .filter(content_type=content_type, object_id=object_id).first())


def note_for(user, key: str) -> SharedNote | None:
    """The note of record `key` if `user` may view the record (else the 404-style CollaborationError)."""
    content_type, object_id = resolve(user, key)
    return note_of(content_type, object_id)


def note_state(user, key: str) -> bytes:
    """The note's merged Yjs state (empty bytes: nothing written yet) for `user`, who must view `key`."""
    content_type, object_id = resolve(user, key)
    state = (SharedNote.objects.filter(content_type=content_type, object_id=object_id)
             .values_list("state", flat=True).first())
    return bytes(state or b"")


def notes_edited_by(user, limit: int = RECENT_NOTES) -> list[tuple[str, SharedNote]]:
    """(key, note) of the notes `user` changed last, newest first, among the records they may still view."""
    notes = (SharedNote.objects.select_related("updated_by", "content_type").filter(updated_by=user)
             .order_by("-updated_at")[:limit])
    keyed = ((record_key(f"{n.content_type.app_label}.{n.content_type.model}", n.object_id), n) for n in notes)
    return [(key, note) for key, note in keyed if can_collaborate(user, key)]
