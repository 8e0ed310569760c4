"""API of documents attached to records (any record with a live-record key, "crm.party.12").

GET documents/ lists the documents on records the caller may view (?key= one record's: 404 unless the caller
may view it; ?category=, ?kind=, ?expiry=, ?search=); GET …/<id>/ reads one with its versions; POST documents/
(multipart: key, file, title, category, expires_on) attaches a file, POST …/<id>/versions/ (multipart: file,
expires_on) adds a version (older ones stay), DELETE …/<id>/ deletes (soft) — these need the record's change
permission (403) on a record the caller may view (404). GET …/<id>/download/ (?version=n, default the current
one) answers the file or a redirect to a temporary URL of the object store; every download is audited.
Refusals are problem+json bodies. Each command is one call to services.documents."""
from django.http import FileResponse, HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from apps.core.api.idempotency import idempotent
from apps.documents.access import not_found, record_for
from apps.documents.choices import MIME_TYPES
from apps.documents.filtersets import DocumentFilterSet
from apps.documents.models import Document, DocumentVersion
from apps.documents.selectors import LIST_RELATED, documents_for, record_documents
from apps.documents.services.documents import document_delete, document_open, document_upload
from apps.identity.models import ApiKey


class DocumentRecordPermission(BasePermission):
    """Any signed-in caller (an API key with the scope the method needs); the record's rules decide the rest."""

    message = "La clave de API no tiene el ámbito necesario."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if isinstance(request.auth, ApiKey):
            return ("read" if request.method in SAFE_METHODS else "write") in request.auth.scopes
        return True


class DocumentVersionSerializer(serializers.ModelSerializer):
    created_by_name = serializers.StringRelatedField(source="created_by", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = ["id", "number", "original_name", "size", "mime_type", "sha256", "created_at", "created_by",
                  "created_by_name", "download_url"]
        read_only_fields = fields

    def get_download_url(self, version) -> str:
        return f"{reverse('api:documents-document-download', args=[version.document_id])}?version={version.number}"


class DocumentSerializer(serializers.ModelSerializer):
    key = serializers.CharField(source="record_key", read_only=True)
    category_code = serializers.CharField(source="category.code", read_only=True, default=None)
    category_name = serializers.CharField(source="category.name", read_only=True, default=None)
    current_version = DocumentVersionSerializer(read_only=True)

    class Meta:
        model = Document
        fields = ["id", "key", "title", "category", "category_code", "category_name", "expires_on", "legal_hold",
                  "current_version", "created_at", "created_by"]
        read_only_fields = fields


class DocumentDetailSerializer(DocumentSerializer):
    versions = DocumentVersionSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "versions"]
        read_only_fields = fields


class RecordDocumentUploadSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=80, help_text="Registro: «<app>.<modelo>.<id>», p. ej. crm.party.12")
    file = serializers.FileField(allow_empty_file=True)  # the service gives the Spanish message for an empty file
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    category = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                     help_text="Código o id de la categoría")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class RecordDocumentVersionUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


def _params(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                      viewsets.GenericViewSet):
    """Documents of the records the caller may view."""

    serializer_class = DocumentSerializer
    permission_classes = [DocumentRecordPermission]
    lookup_value_regex = r"\d+"  # documents/generate/ and the like are other viewsets' routes
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_class = DocumentFilterSet
    search_fields = ["title"]
    ordering_fields = ["created_at", "title", "expires_on"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Document.objects.none()
        key = self.request.query_params.get("key") if self.action == "list" else None
        if key:
            record_for(self.request.user, key)
            return record_documents(key).select_related("current_version__created_by")
        queryset = documents_for(self.request.user).select_related("current_version__created_by")
        return queryset.prefetch_related("versions__created_by") if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer

    def _detail(self, document, code=status.HTTP_200_OK) -> Response:
        document = (Document.objects.select_related(*LIST_RELATED).prefetch_related("versions__created_by")
                    .get(pk=document.pk))
        return Response(DocumentDetailSerializer(document).data, status=code)

    @extend_schema(parameters=[OpenApiParameter("key", str, description="Solo los documentos de este registro")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": RecordDocumentUploadSerializer},
                   responses={201: DocumentDetailSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _params(RecordDocumentUploadSerializer, request)
        document = document_upload(actor=request.user, key=data["key"], upload=data["file"], title=data["title"],
                                   category=data["category"] or None, expires_on=data["expires_on"])
        return self._detail(document, status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": RecordDocumentVersionUploadSerializer},
                   responses={201: DocumentDetailSerializer})
    @action(detail=True, methods=["post"])
    def versions(self, request, pk=None):
        document = self.get_object()
        data = _params(RecordDocumentVersionUploadSerializer, request)
        document = document_upload(actor=request.user, key=document.record_key, upload=data["file"],
                                   document=document, expires_on=data["expires_on"])
        return self._detail(document, status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        document_delete(actor=request.user, document=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[OpenApiParameter("version", int, description="Número de versión (por defecto, la "
                                                                            "vigente)")],
                   responses={(200, mime): OpenApiTypes.BINARY for mime in MIME_TYPES.values()} | {302: None})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        number = request.query_params.get("version", "")
        version = (document.versions.filter(number=int(number)).first() if number.isdigit()
                   else document.current_version)
        if version is None:
            raise not_found()
        opened = document_open(actor=request.user, version=version)
        if opened.url:
            return HttpResponseRedirect(opened.url)
        return FileResponse(opened.handle, as_attachment=True, filename=opened.filename,
                            content_type=opened.mime_type)


ROUTES = [("documents", DocumentViewSet, "documents-document")]
