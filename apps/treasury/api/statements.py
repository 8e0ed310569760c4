"""API of the treasury area «statements» (extractos Norma 43 and reconciliation).

GET treasury/statements/ lists the imported statements (?bank_account=, ?ordering=); POST …/import/
(multipart: file) imports a Norma 43 file (201; a file imported before answers 200 with duplicate=true);
GET …/<id>/lines/ the statement's movements (?state=); POST …/reconcile/ runs the automatic rules over the
pending movements (body: statement, optional). GET treasury/statement-lines/ lists movements (?state=,
?search=, ?amount=); POST …/<id>/reconcile/ reconciles one by hand (target_type: a registered target
kind — remittance|transfer_order|receipt|settlement|invoice|… — and target_id; a target already reconciled
answers 409). POST treasury/reconciliations/<id>/confirm/ and …/undo/. Refusals are 400/409
problem bodies."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.core.api.viewsets import ReadOnlyRecordViewSet
from apps.treasury.models import Reconciliation, Statement, StatementLine
from apps.treasury.selectors_statements import parse_amount, statements_list
from apps.treasury.services.norma43 import statement_import
from apps.treasury.services.reconciliation import (
    reconcile_auto, reconcile_confirm, reconcile_manual, reconcile_undo,
)
from apps.treasury.services.reconciliation_targets import kind_named, kinds

IMPORT, RECONCILE = "treasury.add_statement", "treasury.change_statementline"
MAX_FILE = 5 * 1024 * 1024


class ReconciliationSerializer(serializers.ModelSerializer):
    target_type = serializers.CharField(source="target_type.model", read_only=True)
    target_label = serializers.SerializerMethodField()

    class Meta:
        model = Reconciliation
        fields = ["id", "line", "target_type", "target_id", "target_label", "amount", "rule", "score", "confirmed",
                  "entry", "posted", "created_at", "undone_at"]
        read_only_fields = fields

    def get_target_label(self, reconciliation) -> str:
        return str(reconciliation.target) if reconciliation.target is not None else ""


class StatementLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatementLine
        fields = ["id", "statement", "bank_account", "operation_date", "value_date", "amount", "common_concept",
                  "own_concept", "document_number", "reference1", "reference2", "description", "state"]
        read_only_fields = fields


class StatementSerializer(serializers.ModelSerializer):
    bank_account_name = serializers.CharField(source="bank_account.name", read_only=True)

    class Meta:
        model = Statement
        fields = ["id", "bank_account", "bank_account_name", "start_date", "end_date", "opening_balance",
                  "closing_balance", "file_name", "imported_at"]
        read_only_fields = fields


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()


class ImportResultSerializer(serializers.Serializer):
    statements = StatementSerializer(many=True)
    created = serializers.IntegerField(help_text="Movimientos nuevos.")
    skipped = serializers.IntegerField(help_text="Movimientos ya importados en otro extracto.")
    duplicate = serializers.BooleanField(help_text="El mismo fichero ya se había importado: no se añade nada.")


class AutoSerializer(serializers.Serializer):
    statement = serializers.PrimaryKeyRelatedField(queryset=Statement.objects.all(), required=False)


class AutoResultSerializer(serializers.Serializer):
    reconciled = serializers.IntegerField()
    proposed = serializers.IntegerField()
    pending = serializers.IntegerField()


class ManualSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=[])
    target_id = serializers.IntegerField(min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = sorted(kind.key for kind in kinds())

    def validate(self, attrs):
        target = kind_named(attrs["target_type"]).model.objects.filter(pk=attrs["target_id"]).first()
        if target is None:
            raise serializers.ValidationError({"target_id": [_("No existe el registro indicado.")]})
        return {"target": target}


def _require(request, perm: str):
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("Su rol no permite esta operación."))


class StatementViewSet(ReadOnlyRecordViewSet):
    """Imported Norma 43 statements."""

    queryset = statements_list()
    serializer_class = StatementSerializer
    filterset_fields = ["bank_account"]
    search_fields = ["file_name"]
    ordering_fields = ["end_date", "start_date", "imported_at"]
    ordering = ["-end_date", "-pk"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": ImportSerializer}, responses={201: ImportResultSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request):
        """Imports a Norma 43 file (ISO-8859-1 or UTF-8); refused whole when a check fails."""
        _require(request, IMPORT)
        params = ImportSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        upload = params.validated_data["file"]
        if upload.size > MAX_FILE:
            raise serializers.ValidationError({"file": [_("El fichero supera los 5 MB.")]})
        result = statement_import(actor=request.user, data=upload.read(), file_name=upload.name)
        return Response(ImportResultSerializer(result).data,
                        status=status.HTTP_200_OK if result.duplicate else status.HTTP_201_CREATED)

    @extend_schema(responses={200: StatementLineSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def lines(self, request, pk=None):
        lines = self.get_object().lines.order_by("operation_date", "pk")
        if request.query_params.get("state"):
            lines = lines.filter(state=request.query_params["state"])
        return Response(StatementLineSerializer(lines, many=True).data)

    @extend_schema(request=AutoSerializer, responses={200: AutoResultSerializer})
    @action(detail=False, methods=["post"])
    def reconcile(self, request):
        """Runs the automatic rules over the pending movements (of one statement when given)."""
        _require(request, RECONCILE)
        params = AutoSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        statement = params.validated_data.get("statement")
        lines = list(statement.lines.values_list("pk", flat=True)) if statement else None
        summary = reconcile_auto(actor=request.user, lines=lines)
        return Response(AutoResultSerializer(summary).data)


class StatementLineViewSet(ReadOnlyRecordViewSet):
    """Bank movements; ?state=pending|proposed|reconciled, ?search= in concepts and references, ?amount=."""

    queryset = StatementLine.objects.select_related("bank_account")
    serializer_class = StatementLineSerializer
    filterset_fields = ["state", "bank_account", "statement"]
    search_fields = ["description", "reference1", "reference2", "document_number"]
    ordering_fields = ["operation_date", "amount"]
    ordering = ["operation_date", "pk"]

    def get_queryset(self):
        queryset = super().get_queryset()
        amount = parse_amount(self.request.query_params.get("amount", ""))
        return queryset.filter(amount__in=[amount, -amount]) if amount is not None else queryset

    @extend_schema(request=ManualSerializer, responses={201: ReconciliationSerializer})
    @action(detail=True, methods=["post"], url_path="reconcile")
    def reconcile_manual(self, request, pk=None):
        _require(request, RECONCILE)
        params = ManualSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        reconciliation = reconcile_manual(actor=request.user, line=self.get_object(), **params.validated_data)
        return Response(ReconciliationSerializer(reconciliation).data, status=status.HTTP_201_CREATED)


class ReconciliationViewSet(ReadOnlyRecordViewSet):
    """Reconciliations (proposed or confirmed; undone ones keep undone_at)."""

    queryset = Reconciliation.objects.select_related("target_type", "line")
    serializer_class = ReconciliationSerializer
    filterset_fields = ["line", "confirmed", "rule"]
    ordering_fields = ["created_at"]
    ordering = ["-pk"]

    @extend_schema(request=None, responses={200: ReconciliationSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        _require(request, RECONCILE)
        return Response(ReconciliationSerializer(reconcile_confirm(actor=request.user,
                                                                   reconciliation=self.get_object())).data)

    @extend_schema(request=None, responses={200: ReconciliationSerializer})
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        _require(request, RECONCILE)
        return Response(ReconciliationSerializer(reconcile_undo(actor=request.user,
                                                                reconciliation=self.get_object())).data)


ROUTES = [
    ("treasury/statements", StatementViewSet, "treasury-statement"),
    ("treasury/statement-lines", StatementLineViewSet, "treasury-statement-line"),
    ("treasury/reconciliations", ReconciliationViewSet, "treasury-reconciliation"),
]
