"""API of employee documents. GET hr/documents/ and …/<id>/ list and read the documents the caller may read (their
own; HR all; managers none — ?employee=, ?kind=); GET …/<id>/download/ streams the file (attachment, the stored
type; audited); POST hr/documents/ (multipart: employee, kind, title, file — PDF, PNG, JPEG, DOCX or XLSX up to
10 MB, typed by its bytes) and DELETE …/<id>/ are for HR. Each command is one call to services.documents."""
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.collections.api.receipts import params
from apps.core.api.idempotency import idempotent
from apps.hr.api.permissions import HRRecordPermission
from apps.hr.choices import EmployeeDocumentKind
from apps.hr.models import Employee, EmployeeDocument
from apps.hr.selectors_documents import readable_documents
from apps.hr.services.documents import EXTENSIONS, document_delete, document_open, document_upload


class EmployeeDocumentSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EmployeeDocument
        fields = ["id", "employee", "employee_name", "kind", "kind_display", "title", "content_type", "size",
                  "created_at", "created_by", "download_url"]
        read_only_fields = fields

    def get_download_url(self, document) -> str:
        return reverse("api:hr-employee-document-download", args=[document.pk])


class EmployeeDocumentUploadSerializer(serializers.Serializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    kind = serializers.ChoiceField(choices=EmployeeDocumentKind.choices)
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(allow_empty_file=True)  # the service gives the Spanish message for an empty file


class EmployeeDocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                              mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Documents of employees' records: the employee their own, HR all (managers none: they are private)."""

    serializer_class = EmployeeDocumentSerializer
    permission_classes = [HRRecordPermission]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["employee", "kind"]
    search_fields = ["title", "employee__last_name", "employee__code"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return readable_documents(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request={"multipart/form-data": EmployeeDocumentUploadSerializer},
                   responses={201: EmployeeDocumentSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        data = params(EmployeeDocumentUploadSerializer, request)
        document = document_upload(actor=request.user, employee=data["employee"], kind=data["kind"],
                                   title=data["title"], upload=data["file"])
        return Response(EmployeeDocumentSerializer(self.get_queryset().get(pk=document.pk)).data,
                        status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        document_delete(actor=request.user, document=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, content_type): OpenApiTypes.BINARY for content_type in EXTENSIONS})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        opened = document_open(actor=request.user, document=self.get_object())
        return FileResponse(opened.handle, as_attachment=True, filename=opened.filename,
                            content_type=opened.content_type)


ROUTES = [("hr/documents", EmployeeDocumentViewSet, "hr-employee-document")]
