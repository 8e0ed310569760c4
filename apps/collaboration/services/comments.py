"""Comments on any record the user may view (issue 9 item 2). A comment is plain text of 1 to 5000
characters (stripped); a reply hangs on a comment of the same record, and a reply to a reply on the thread's
top comment (two levels shown). Only the author edits (the previous text is kept as a revision); the author or
a staff superuser deletes (soft: the text is blanked, the thread keeps its shape, revisions stay for the
admin). @mentions of colleagues who may view the record notify them once; an edit notifies only those it
newly mentions. Every change is audited and, after the commit, announced on the record's collaboration group
as {"type": "comments.changed", "key", "comment"}. Whoever may not view the record gets a 404-style refusal
and nothing is saved. Files sent with a new comment are stored as documents of the record (apps.documents:
the record's edit rule, the brokerage's size and type limits, type read from the bytes) and listed under it;
every file is checked before anything is written, so a refused file leaves neither comment nor document."""
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.collaboration.errors import CollaborationError
from apps.collaboration.mentions import mentioned_users
from apps.collaboration.models import Comment, CommentRevision
from apps.collaboration.realtime import broadcast
from apps.collaboration.records import resolve
from apps.notifications.services.notifications import notification_send

VERB_LABELS.setdefault("collab_comment_add", gettext_lazy("comentario"))
VERB_LABELS.setdefault("collab_comment_edit", gettext_lazy("edición de comentario"))
VERB_LABELS.setdefault("collab_comment_delete", gettext_lazy("eliminación de comentario"))

MAX_BODY = 5000
MAX_ATTACHMENTS = 5


def comment_key(comment: Comment) -> str:
    """The record key ("<app_label>.<model>.<pk>") a comment hangs on."""
    content_type = comment.content_type
    return f"{content_type.app_label}.{content_type.model}.{comment.object_id}"


def clean_body(body) -> str:
    text = str(body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise CollaborationError(_("Escriba el comentario."), code="collab_comment_empty", field="body")
    if len(text) > MAX_BODY:
        raise CollaborationError(_("El comentario tiene %(length)d caracteres; el máximo es %(max)d.") % {
            "length": len(text), "max": MAX_BODY}, code="collab_comment_too_long", field="body")
    return text


def record_page(content_type, object_id: int) -> tuple[str, str]:
    """The record's name and page: its get_absolute_url(), else its generic detail page, else ''."""
    obj = content_type.model_class()._base_manager.filter(pk=object_id).first()
    if obj is None:
        return "", ""
    if hasattr(obj, "get_absolute_url"):
        return str(obj), obj.get_absolute_url()
    try:
        return str(obj), reverse(f"ui:{content_type.app_label}-{content_type.model}-detail", args=[object_id])
    except NoReverseMatch:
        return str(obj), ""


def _notify_mentions(*, actor, comment: Comment, users) -> None:
    users = [user for user in users if user.pk != actor.pk]
    if not users:
        return
    content_type = comment.content_type
    label, url = record_page(content_type, comment.object_id)
    title = (_("%(name)s le ha mencionado en «%(record)s»") if label else _("%(name)s le ha mencionado")) % {
        "name": actor.get_full_name() or actor.email, "record": Truncator(label).chars(80)}
    title, body = Truncator(title).chars(200), Truncator(comment.body).chars(300)
    for user in users:
        notification_send(recipient=user, title=title, body=body, url=url, kind="mention")


def _announce(key: str, comment: Comment) -> None:
    schema = connection.schema_name
    message = {"type": "comments.changed", "key": key, "comment": comment.pk}
    transaction.on_commit(lambda: broadcast(key, message, schema))


def _parent_of(content_type, object_id: int, parent) -> Comment | None:
    if parent in (None, ""):
        return None
    parent_id = parent.pk if isinstance(parent, Comment) else parent
    try:
        parent_id = int(parent_id)
    except (TypeError, ValueError):
        parent_id = None
    found = Comment.objects.filter(pk=parent_id, content_type=content_type, object_id=object_id).first() \
        if parent_id else None
    if found is None:
        raise CollaborationError(_("El comentario al que responde no existe en este registro."),
                                 code="collab_comment_parent", field="parent")
    if found.parent_id is not None:  # a reply to a reply joins the thread of the top comment
        found = Comment.objects.get(pk=found.parent_id)
    if found.deleted_at is not None:
        raise CollaborationError(_("No se puede responder a un comentario eliminado."),
                                 code="collab_comment_parent_deleted", field="parent")
    return found


def _viewable(actor, comment: Comment) -> str:
    """The comment's record key, if `actor` may view that record (404-style refusal otherwise)."""
    key = comment_key(comment)
    resolve(actor, key)
    return key


def _checked_attachments(actor, key: str, files) -> list:
    from apps.documents.services.documents import document_check_uploads

    files = [upload for upload in files or () if upload is not None]
    if len(files) > MAX_ATTACHMENTS:
        raise CollaborationError(_("Adjunte %(max)d archivos como máximo a un comentario (ha elegido %(count)d).") % {
            "max": MAX_ATTACHMENTS, "count": len(files)}, code="collab_comment_attachments", field="attachments")
    if files:
        document_check_uploads(actor=actor, key=key, uploads=files)
    return files


def _attach(actor, key: str, comment: Comment, files: list) -> list:
    from apps.documents.services.documents import document_upload

    documents = [document_upload(actor=actor, key=key, upload=upload) for upload in files]
    comment.attachments.set(documents)
    return documents


@transaction.atomic
def comment_add(*, actor, key: str, body: str, parent=None, files=()) -> Comment:
    """`files`: uploads stored as documents of the record and attached to the comment (at most 5)."""
    content_type, object_id = resolve(actor, key)
    text = clean_body(body)
    top = _parent_of(content_type, object_id, parent)
    files = _checked_attachments(actor, key, files)
    comment = Comment.objects.create(content_type=content_type, object_id=object_id, parent=top, author=actor,
                                     body=text)
    users = mentioned_users(text, key)
    comment.mentions.set(users)
    documents = _attach(actor, key, comment, files)
    audit_event_record(actor=actor, action=AuditAction.CREATE, obj=comment, verb="collab_comment_add", changes={
        "record": [None, key], "parent": [None, top.pk if top else None], "length": [None, len(text)],
        "mentions": [None, sorted(user.pk for user in users)],
        **({"attachments": [None, [document.pk for document in documents]]} if documents else {})})
    _notify_mentions(actor=actor, comment=comment, users=users)
    _announce(key, comment)
    return comment


@transaction.atomic
def comment_edit(*, actor, comment: Comment, body: str) -> Comment:
    key = _viewable(actor, comment)
    comment = Comment.objects.select_for_update().select_related("content_type").get(pk=comment.pk)
    if comment.deleted_at is not None:
        raise CollaborationError(_("Este comentario se ha eliminado y ya no se puede editar."),
                                 code="collab_comment_deleted", status=409)
    if comment.author_id != actor.pk:
        raise CollaborationError(_("Solo quien escribió el comentario puede editarlo."),
                                 code="collab_comment_not_author", status=403)
    text = clean_body(body)
    if text == comment.body:
        return comment
    before = comment.body
    CommentRevision.objects.create(comment=comment, body=before)
    comment.body = text
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    already = set(comment.mentions.values_list("pk", flat=True))
    users = mentioned_users(text, key)
    comment.mentions.set(users)
    audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=comment, verb="collab_comment_edit", changes={
        "record": [key, key], "length": [len(before), len(text)],
        "mentions": [sorted(already), sorted(user.pk for user in users)]})
    _notify_mentions(actor=actor, comment=comment, users=[user for user in users if user.pk not in already])
    _announce(key, comment)
    return comment


def may_delete(user, comment: Comment) -> bool:
    return comment.author_id == user.pk or bool(user.is_staff and user.is_superuser)


@transaction.atomic
def comment_delete(*, actor, comment: Comment) -> Comment:
    key = _viewable(actor, comment)
    comment = Comment.objects.select_for_update().select_related("content_type").get(pk=comment.pk)
    if comment.deleted_at is not None:
        raise CollaborationError(_("Este comentario ya se había eliminado."), code="collab_comment_deleted",
                                 status=409)
    if not may_delete(actor, comment):
        raise CollaborationError(_("Solo quien escribió el comentario o un administrador puede eliminarlo."),
                                 code="collab_comment_not_author", status=403)
    length = len(comment.body)
    comment.body = ""
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["body", "deleted_at"])
    comment.mentions.clear()
    audit_event_record(actor=actor, action=AuditAction.DELETE, obj=comment, verb="collab_comment_delete", changes={
        "record": [key, key], "length": [length, 0], "author": [comment.author_id, comment.author_id]})
    _announce(key, comment)
    return comment
