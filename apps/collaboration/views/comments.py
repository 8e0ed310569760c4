"""Fragments of the «Comentarios» card of a record page (templates/collaboration/_comments.html loads them
with htmx): the thread (GET ?key=; POST adds a comment or a reply, with files in «attachments»), edit and delete of one comment (POST),
its earlier versions («editado»), and the colleagues an @mention may name (JSON, for the autocomplete).

Whoever may not view the record gets 404 and nothing is saved. A refused comment comes back as the thread
with the message under its form and the text kept (400; 403 when it is not yours; 409 when it was deleted)."""
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.collaboration.errors import CollaborationError
from apps.collaboration.mentions import mention_suggestions
from apps.collaboration.records import resolve
from apps.collaboration.selectors_comments import THREADS_SHOWN, comment_with_revisions, record_thread
from apps.collaboration.services.comments import comment_add, comment_delete, comment_edit, comment_key
from apps.core.errors import DomainError


def _resolve_or_404(user, key: str):
    try:
        return resolve(user, key)
    except CollaborationError as exc:
        raise Http404(exc.message) from None


def _comment_or_404(user, pk: int):
    comment, revisions = comment_with_revisions(pk)
    if comment is None:
        raise Http404
    key = comment_key(comment)
    _resolve_or_404(user, key)
    return comment, revisions, key


def _thread(request, key: str, *, error: dict | None = None, status: int = 200):
    content_type, object_id = _resolve_or_404(request.user, key)
    user = request.user
    context = {"record_key": key, "thread": record_thread(content_type, object_id), "limit": THREADS_SHOWN,
               "user": user, "moderator": bool(user.is_staff and user.is_superuser), "error": error or {}}
    return render(request, "collaboration/comments/thread.html", context, status=status)


def _refused(exc: DomainError, *, kind: str, pk=None, body: str = "") -> tuple[dict, int]:
    if exc.status == 404:
        raise Http404(exc.message)
    error = {"kind": kind, "pk": pk, "message": exc.message, "body": body}
    return error, exc.status if exc.status >= 400 else 400


@require_http_methods(["GET", "POST"])
def comments_view(request):
    key = request.POST.get("key") or request.GET.get("key", "")
    if request.method == "GET":
        return _thread(request, key)
    _resolve_or_404(request.user, key)
    body = request.POST.get("body", "")
    parent = request.POST.get("parent") or None
    try:
        comment_add(actor=request.user, key=key, body=body, parent=parent, files=request.FILES.getlist("attachments"))
    except DomainError as exc:
        # a reply whose thread is gone (deleted meanwhile) shows its message under the main form
        as_reply = parent and exc.code not in ("collab_comment_parent", "collab_comment_parent_deleted")
        error, status = _refused(exc, kind="reply" if as_reply else "new",
                                 pk=int(parent) if as_reply and str(parent).isdigit() else None, body=body)
        return _thread(request, key, error=error, status=status)
    return _thread(request, key)


@require_POST
def comment_edit_view(request, pk: int):
    comment, _revisions, key = _comment_or_404(request.user, pk)
    body = request.POST.get("body", "")
    try:
        comment_edit(actor=request.user, comment=comment, body=body)
    except DomainError as exc:
        error, status = _refused(exc, kind="edit", pk=comment.pk, body=body)
        return _thread(request, key, error=error, status=status)
    return _thread(request, key)


@require_POST
def comment_delete_view(request, pk: int):
    comment, _revisions, key = _comment_or_404(request.user, pk)
    try:
        comment_delete(actor=request.user, comment=comment)
    except DomainError as exc:
        error, status = _refused(exc, kind="delete", pk=comment.pk)
        return _thread(request, key, error=error, status=status)
    return _thread(request, key)


@require_GET
def comment_history_view(request, pk: int):
    comment, revisions, _key = _comment_or_404(request.user, pk)
    if comment.deleted_at is not None:
        revisions = []  # a deleted comment's earlier texts stay in the admin only
    return render(request, "collaboration/comments/history.html", {"comment": comment, "revisions": revisions})


@require_GET
def comment_mentions_view(request):
    key = request.GET.get("key", "")
    _resolve_or_404(request.user, key)
    return JsonResponse({"results": mention_suggestions(actor=request.user, key=key, prefix=request.GET.get("q", ""))})


urlpatterns = [
    path("comentarios/", comments_view, name="comments"),
    path("comentarios/menciones/", comment_mentions_view, name="comment-mentions"),
    path("comentarios/<int:pk>/editar/", comment_edit_view, name="comment-edit"),
    path("comentarios/<int:pk>/borrar/", comment_delete_view, name="comment-delete"),
    path("comentarios/<int:pk>/historial/", comment_history_view, name="comment-history"),
]
