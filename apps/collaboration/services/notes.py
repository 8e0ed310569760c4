"""The shared note of a record (issue 9 item 4): a Yjs document that several people edit at once.

The browsers (static/collaboration/src/note-editor.js) bind a Quill editor to the Y.Text NOTE_ROOT and send
their changes as Yjs updates over /ws/notes/ (apps.collaboration.consumers_notes). `note_apply_update` merges
one update into the stored document under a row lock (SELECT … FOR UPDATE; the note is created on first use),
so concurrent updates from several sockets and server processes are never lost: a CRDT merge is commutative,
the lock only keeps two merges from overwriting each other's saved state. It saves the merged state and its
plain text (for lists, search and the API). An update that is not a Yjs update is refused and nothing is
saved. Whoever may not view the record gets a 404-style refusal. The consumer broadcasts the accepted update
to the note's other sockets after this returns (after the commit) and asks for an audit event only on the
first update of each editing session (one per socket), not per keystroke."""
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from pycrdt import Doc, Text

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.collaboration.errors import CollaborationError
from apps.collaboration.models import SharedNote
from apps.collaboration.records import resolve


NOTE_ROOT = "quill"                   # the Y.Text the editor binds (ydoc.getText("quill"))
MAX_UPDATE_BYTES = 256 * 1024         # one update from a browser
MAX_STATE_BYTES = 4 * 1024 * 1024     # the whole stored document


def load_note_doc(state: bytes | memoryview | None) -> Doc:
    """A pycrdt document holding `state` (a stored note's merged update; empty: a new document)."""
    doc = Doc()
    if state:
        doc.apply_update(bytes(state))
    return doc


def note_plain_text(doc: Doc) -> str:
    """The note's text without formatting (Quill always ends it with a newline: trailing blanks go)."""
    return str(doc.get(NOTE_ROOT, type=Text)).rstrip()


def _invalid_update() -> CollaborationError:
    return CollaborationError(_("El cambio recibido no es válido; no se ha guardado."),
                              code="collab_note_invalid_update", field="update")


def _merge(state: bytes, update: bytes) -> tuple[bytes, bytes, str]:
    """(state before, re-encoded; state after; text after). Raises the refusal if `update` is not a Yjs update."""
    doc = load_note_doc(state)
    before = doc.get_update()
    try:
        doc.apply_update(update)
        text = note_plain_text(doc)
        after = doc.get_update()
    except BaseException as exc:  # pycrdt reports bad bytes as ValueError, a Rust panic as PanicException
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise _invalid_update() from None
    return before, after, text


def _locked_note(content_type, object_id: int) -> SharedNote:
    note = SharedNote.objects.select_for_update().filter(content_type=content_type, object_id=object_id).first()
    if note is None:  # first use: a concurrent first insert makes get_or_create read the other row
        SharedNote.objects.get_or_create(content_type=content_type, object_id=object_id)
        note = SharedNote.objects.select_for_update().get(content_type=content_type, object_id=object_id)
    return note


@dataclass(frozen=True)
class NoteMerge:
    state: bytes            # the merged document
    saved: bool             # False: the update changed nothing (a duplicate), nothing was written
    updated_at: datetime | None


@transaction.atomic
def note_merge_update(*, actor, key: str, update: bytes, audit: bool = True) -> NoteMerge:
    """Merges the Yjs `update` into record `key`'s note (see the module's docstring).

    `audit`: write the audit event if something is saved (the consumer asks once per editing session)."""
    content_type, object_id = resolve(actor, key)
    update = bytes(update or b"")
    if not update:
        raise _invalid_update()
    if len(update) > MAX_UPDATE_BYTES:
        raise CollaborationError(_("El cambio ocupa %(size)d KB; el máximo es %(max)d KB.") % {
            "size": len(update) // 1024, "max": MAX_UPDATE_BYTES // 1024}, code="collab_note_update_too_large",
            field="update", status=413)
    note = _locked_note(content_type, object_id)
    before, after, text = _merge(bytes(note.state), update)
    if after == before:
        return NoteMerge(after, False, note.updated_at)
    if len(after) > MAX_STATE_BYTES:
        raise CollaborationError(_("La nota es demasiado grande (máximo %d MB).") % (MAX_STATE_BYTES // 2 ** 20),
                                 code="collab_note_too_large", field="update", status=413)
    old_length = len(note.text)
    note.state, note.text, note.updates, note.updated_by = after, text, note.updates + 1, actor
    note.save(update_fields=["state", "text", "updates", "updated_by", "updated_at"])
    if audit:
        audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=note, verb="collab_note_edit",
                           changes={"record": [None, key], "text_length": [old_length, len(text)]})
    return NoteMerge(after, True, note.updated_at)


def note_apply_update(*, actor, key: str, update: bytes, audit: bool = True) -> bytes:
    """Merges the Yjs `update` into record `key`'s note and returns the merged state."""
    return note_merge_update(actor=actor, key=key, update=update, audit=audit).state
