"""API of comments on records. GET collaboration/comments/?key=crm.party.12 is the record's thread (top comments,
oldest first, paginated, each with its `replies`; without ?key= your own comments, newest first); POST {key, body, parent?} comments or replies; GET …/<id>/ one
comment; POST as multipart/form-data may carry up to 5 files in «attachments» (stored as documents of the record);
PATCH …/<id>/ {body} edits (the author only: 403 otherwise); DELETE …/<id>/ deletes (the author or a
staff superuser; the text is blanked); GET …/<id>/revisions/ the earlier texts, newest first. Whoever may not view
the record gets 404 (the record or the comment "does not exist"); refusals are problem+json bodies."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.reverse import reverse

from apps.collaboration.models import Comment, CommentRevision
from apps.collaboration.records import resolve
from apps.collaboration.selectors_comments import comment_with_revisions, comments_by, thread_queryset
from apps.collaboration.services.comments import (MAX_BODY, comment_add, comment_delete, comment_edit,
                                                   comment_key)
from apps.identity.models import ApiKey


class CommentPermission(BasePermission):
    """Any logged-in user (or API key with the scope): the record's own rule decides who takes part."""

    message = gettext_lazy("Inicie sesión para leer o escribir comentarios.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if isinstance(request.auth, ApiKey):
            needed = "read" if request.method in SAFE_METHODS else "write"
            if needed not in request.auth.scopes:
                self.message = _("La clave de API no tiene el ámbito «%s».") % needed
                return False
        return True


class CollabCommentUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.email


class CollabCommentAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, document) -> str:
        return reverse("api:documents-document-download", args=[document.pk])


class CollabCommentReplySerializer(serializers.ModelSerializer):
    key = serializers.SerializerMethodField()
    author = CollabCommentUserSerializer()
    mentions = CollabCommentUserSerializer(many=True)
    attachments = CollabCommentAttachmentSerializer(many=True)
    revision_count = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "key", "parent", "author", "body", "mentions", "attachments", "created_at", "edited_at",
                  "deleted_at", "revision_count"]
        read_only_fields = fields

    def get_key(self, comment) -> str:
        return comment_key(comment)

    def get_revision_count(self, comment) -> int:
        count = getattr(comment, "revision_count", None)
        return comment.revisions.count() if count is None else count


class CollabCommentSerializer(CollabCommentReplySerializer):
    replies = serializers.SerializerMethodField()

    class Meta(CollabCommentReplySerializer.Meta):
        fields = [*CollabCommentReplySerializer.Meta.fields, "replies"]
        read_only_fields = fields

    @extend_schema_field(CollabCommentReplySerializer(many=True))
    def get_replies(self, comment) -> list:
        replies = getattr(comment, "thread_replies", None)
        if replies is None:
            replies = [] if comment.parent_id else list(thread_queryset(comment.content_type, comment.object_id)
                                                         .get(pk=comment.pk).thread_replies)
        return CollabCommentReplySerializer(replies, many=True).data


class CollabCommentCreateSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=4 * MAX_BODY, trim_whitespace=False, allow_blank=True)
    parent = serializers.IntegerField(required=False, allow_null=True, default=None)


class CollabCommentEditSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=4 * MAX_BODY, trim_whitespace=False, allow_blank=True)


class CollabCommentRevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommentRevision
        fields = ["id", "body", "replaced_at"]
        read_only_fields = fields


class CollabCommentViewSet(viewsets.GenericViewSet):
    """Comments on a record you may view: the thread, comment or reply, edit your own, delete, history."""

    serializer_class = CollabCommentSerializer
    permission_classes = [CommentPermission]
    queryset = Comment.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_object(self):
        pk = self.kwargs.get("pk", "")
        comment, _revisions = comment_with_revisions(int(pk)) if str(pk).isdigit() else (None, [])
        if comment is None:
            raise NotFound
        resolve(self.request.user, comment_key(comment))  # 404-style refusal if the record is not readable
        return comment

    @extend_schema(parameters=[OpenApiParameter("key", str, description=(
        "Registro: «<app_label>.<model>.<pk>»; sin él, sus propios comentarios (sin respuestas)"))],
                   responses={200: CollabCommentSerializer(many=True)})
    def list(self, request):
        key = request.query_params.get("key", "")
        if not key:  # your own comments, newest first, without the others' replies
            page = self.paginate_queryset(comments_by(request.user))
            return self.get_paginated_response(CollabCommentReplySerializer(page, many=True).data)
        content_type, object_id = resolve(request.user, key)
        page = self.paginate_queryset(thread_queryset(content_type, object_id))
        return self.get_paginated_response(CollabCommentSerializer(page, many=True).data)

    @extend_schema(request=CollabCommentCreateSerializer, responses={201: CollabCommentSerializer})
    def create(self, request):
        params = CollabCommentCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        comment = comment_add(actor=request.user, files=request.FILES.getlist("attachments"), **params.validated_data)
        return Response(CollabCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CollabCommentSerializer})
    def retrieve(self, request, pk=None):
        return Response(CollabCommentSerializer(self.get_object()).data)

    @extend_schema(request=CollabCommentEditSerializer, responses={200: CollabCommentSerializer})
    def partial_update(self, request, pk=None):
        params = CollabCommentEditSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        comment = comment_edit(actor=request.user, comment=self.get_object(), body=params.validated_data["body"])
        return Response(CollabCommentSerializer(comment).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        comment_delete(actor=request.user, comment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: CollabCommentRevisionSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def revisions(self, request, pk=None):
        comment = self.get_object()
        revisions = [] if comment.deleted_at else \
            CommentRevision.objects.filter(comment=comment).order_by("-replaced_at", "-id")
        return Response(CollabCommentRevisionSerializer(revisions, many=True).data)


ROUTES = [("collaboration/comments", CollabCommentViewSet, "collaboration-comment")]
