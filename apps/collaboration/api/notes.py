"""API of shared notes: GET collaboration/notes/?key=crm.party.12 is a list with the record's note as plain
text (no formatting), when it was last changed and by whom; a record nobody wrote a note on yet gives an
empty text. Whoever may not view the record gets 404 (problem+json). Without `key`: the notes you changed
last (up to 50) on records you may still view. The note is written only through its websocket
(/ws/notes/, apps.collaboration.consumers_notes): a Yjs document, not a text field to overwrite."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from apps.collaboration.models import SharedNote
from apps.collaboration.selectors_notes import note_for, notes_edited_by
from apps.identity.models import ApiKey


class NoteReadPermission(BasePermission):
    """Any logged-in user (or API key with the read scope): the record's own rule decides the rest."""

    message = _("Inicie sesión para leer las notas.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if isinstance(request.auth, ApiKey) and "read" not in request.auth.scopes:
            self.message = _("La clave de API no tiene el ámbito «%s».") % "read"
            return False
        return True


class CollabNoteUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.email


class CollabNoteSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    updates = serializers.IntegerField(help_text="Cambios guardados desde que se creó la nota")
    updated_at = serializers.DateTimeField(allow_null=True)
    updated_by = CollabNoteUserSerializer(allow_null=True)


class CollabNoteViewSet(viewsets.GenericViewSet):
    """The shared note of a record you may view, as plain text."""

    serializer_class = CollabNoteSerializer
    permission_classes = [NoteReadPermission]
    queryset = SharedNote.objects.none()
    pagination_class = None
    filter_backends = []
    http_method_names = ["get", "head", "options"]

    @extend_schema(parameters=[OpenApiParameter("key", str, required=False,
                                                description="Registro: «<app_label>.<model>.<pk>»")],
                   responses={200: CollabNoteSerializer(many=True)})
    def list(self, request):
        key = request.query_params.get("key")
        if key is None:
            rows = [self._row(k, note) for k, note in notes_edited_by(request.user)]
        else:
            rows = [self._row(key, note_for(request.user, key))]  # 404-style refusal if not readable
        return Response(CollabNoteSerializer(rows, many=True).data)

    @staticmethod
    def _row(key: str, note: SharedNote | None) -> dict:
        data = {"key": key, "text": "", "updates": 0, "updated_at": None, "updated_by": None}
        if note is not None:
            data.update(text=note.text, updates=note.updates, updated_at=note.updated_at, updated_by=note.updated_by)
        return data


ROUTES = [("collaboration/notes", CollabNoteViewSet, "collaboration-note")]
