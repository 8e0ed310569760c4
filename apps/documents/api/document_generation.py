"""API of the generated documents. GET documents/generate/ lists the kinds; POST documents/generate/ {template_code, key} renders the record's
document with the brokerage's template and stores it as a document of the record (201, the document as GET
documents/<id>/ gives it; 404 for a record the caller may not view, 403 when it may not change it).
GET document-templates/ and …/<code>/ give each template's current HTML (the brokerage's or the shipped one);
PUT …/<code>/ {body, note?, revision?} saves a new revision (refused with a problem body when the sandbox
refuses it, nothing saved).

(The module name sorts before documents.py so "documents/generate/" is routed before "documents/<pk>/".)
"""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from apps.core.api.idempotency import idempotent
from apps.documents.api.documents import DocumentRecordPermission, DocumentSerializer
from apps.documents.choices_generation import TemplateCode
from apps.documents.models import DocumentTemplate
from apps.documents.services.generation import document_generate
from apps.documents.services.generation_kinds import KINDS, readable_record
from apps.documents.services.templates import document_template_save, template_source


class GenerateRequestSerializer(serializers.Serializer):
    template_code = serializers.ChoiceField(choices=TemplateCode.choices)
    key = serializers.CharField(max_length=120, help_text="Registro: «<app>.<modelo>.<id>», p. ej. insurance.policy.12")


class GeneratedKindSerializer(serializers.Serializer):
    template_code = serializers.CharField()
    name = serializers.CharField()
    records = serializers.ListField(child=serializers.CharField(), help_text="Tipos de registro («<app>.<modelo>»)")


class DocumentGenerateViewSet(viewsets.GenericViewSet):
    """Generate a record's PDF and store it as a document of the record (the record's rules: view it, else
    404; change it, else 403). GET lists what can be generated and for which record types."""

    permission_classes = [DocumentRecordPermission]
    serializer_class = GenerateRequestSerializer
    queryset = DocumentTemplate.objects.none()  # for the schema only: the record's own rules decide access
    pagination_class = None

    @extend_schema(responses={200: GeneratedKindSerializer(many=True)})
    def list(self, request, *args, **kwargs):
        kinds = [{"template_code": code, "name": kind.label, "records": [source.label for source in kind.sources]}
                 for code, kind in KINDS.items()]
        return Response(GeneratedKindSerializer(kinds, many=True).data)

    @extend_schema(request=GenerateRequestSerializer, responses={201: DocumentSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        params = GenerateRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        code, key = params.validated_data["template_code"], params.validated_data["key"]
        record = readable_record(request.user, key)
        if record is None:
            raise NotFound("No existe el registro o no puede verlo.")
        document = document_generate(actor=request.user, template_code=code, record=record)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentTemplateSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    body = serializers.CharField(trim_whitespace=False)
    is_custom = serializers.BooleanField(read_only=True)
    revision = serializers.IntegerField(required=False, help_text="La revisión que se editó (para no pisar otra)")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, write_only=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


def _template_data(code: str, custom: DocumentTemplate | None) -> dict:
    is_custom = custom is not None and not custom.uses_default
    return {"code": code, "name": KINDS[code].label, "body": template_source(code) if custom is None or not is_custom
            else custom.body, "is_custom": is_custom, "revision": custom.revision if custom else 0,
            "updated_at": custom.updated_at if custom else None}


class DocumentTemplateViewSet(viewsets.GenericViewSet):
    """The templates of the generated documents (documents.view/change_documenttemplate)."""

    queryset = DocumentTemplate.objects.all()
    serializer_class = DocumentTemplateSerializer
    lookup_field = "code"
    lookup_value_regex = "[a-z_]+"
    pagination_class = None

    def _custom(self, code):
        if code not in KINDS:
            raise NotFound("No existe esa plantilla.")
        return DocumentTemplate.objects.filter(code=code).first()

    @extend_schema(responses={200: DocumentTemplateSerializer(many=True)})
    def list(self, request, *args, **kwargs):
        custom = {row.code: row for row in DocumentTemplate.objects.all()}
        return Response(DocumentTemplateSerializer([_template_data(code, custom.get(code)) for code in KINDS],
                                                   many=True).data)

    @extend_schema(responses={200: DocumentTemplateSerializer})
    def retrieve(self, request, code=None, *args, **kwargs):
        return Response(DocumentTemplateSerializer(_template_data(code, self._custom(code))).data)

    @extend_schema(request=DocumentTemplateSerializer, responses={200: DocumentTemplateSerializer})
    def update(self, request, code=None, *args, **kwargs):
        self._custom(code)
        params = DocumentTemplateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        template = document_template_save(actor=request.user, code=code, body=data["body"], note=data.get("note", ""),
                                          expected_revision=data.get("revision"))
        return Response(DocumentTemplateSerializer(_template_data(code, template)).data)


ROUTES = [
    ("documents/generate", DocumentGenerateViewSet, "document-generate"),
    ("document-templates", DocumentTemplateViewSet, "document-template"),
]
