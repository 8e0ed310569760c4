"""Reads of comments: the thread of a record (top comments with their replies, authors, mentioned users and
the number of earlier versions of each) in a fixed number of queries, whatever the number of comments."""
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from apps.collaboration.models import Comment, CommentRevision

THREADS_SHOWN = 100


def _comments():
    from apps.documents.models import Document

    attachments = Document.objects.select_related("current_version").order_by("id")
    return (Comment.objects.select_related("author", "content_type")
            .annotate(revision_count=Count("revisions"))
            .prefetch_related("mentions", Prefetch("attachments", queryset=attachments)))


def thread_queryset(content_type, object_id: int):
    """Top comments of the record, oldest first, each with `thread_replies` (oldest first), `author`,
    `mentions`, live `attachments` (with their current version) and `revision_count`: 6 queries when evaluated
    (tops, their mentions and attachments, replies, theirs)."""
    replies = _comments().order_by("created_at", "id")
    return (_comments().filter(content_type=content_type, object_id=object_id, parent__isnull=True)
            .prefetch_related(Prefetch("replies", queryset=replies, to_attr="thread_replies"))
            .order_by("created_at", "id"))


def comments_by(user):
    """`user`'s own comments, newest first (for the API without a record), with the same annotations."""
    return _comments().filter(author=user).order_by("-created_at", "-id")


@dataclass
class Thread:
    comments: list = field(default_factory=list)  # shown top comments, oldest first
    count: int = 0  # comments shown, replies included
    more: bool = False  # older threads are left out


def record_thread(content_type, object_id: int, *, limit: int = THREADS_SHOWN) -> Thread:
    """The latest `limit` threads of the record for its page. A deleted comment shows as «eliminado» only
    while it has replies that are not deleted; otherwise it is left out."""
    latest = list(thread_queryset(content_type, object_id).order_by("-created_at", "-id")[:limit + 1])
    more = len(latest) > limit
    shown = []
    count = 0
    for top in reversed(latest[:limit]):
        top.thread_replies = [reply for reply in top.thread_replies if reply.deleted_at is None]
        if top.deleted_at is not None and not top.thread_replies:
            continue
        shown.append(top)
        count += len(top.thread_replies) + (top.deleted_at is None)
    return Thread(comments=shown, count=count, more=more)


def comment_with_revisions(pk: int):
    """The comment `pk` (with its record's content type) and its earlier texts, newest first: 2 queries."""
    comment = Comment.objects.select_related("author", "content_type").filter(pk=pk).first()
    if comment is None:
        return None, []
    return comment, list(CommentRevision.objects.filter(comment=comment).order_by("-replaced_at", "-id"))
