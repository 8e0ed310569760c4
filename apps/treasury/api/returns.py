"""API of the treasury area «returns» (devoluciones). GET treasury/returns/ lists the returned debits
(?remittance=, ?return_code=, ?search=, ?ordering=); POST records a return by hand (item, date,
code, fee); POST …/pain002/ (multipart: file, confirm_partial) applies a bank's pain.002 report.
Errors are 400/409 problem bodies. A Comercial sees only its clients' debits."""
from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet
from apps.core.permissions import visible_to
from apps.treasury.choices import RemittanceItemState
from apps.treasury.models import RemittanceItem
from apps.treasury.services.pain002 import pain002_import
from apps.treasury.services.returns import reason_label, return_record

OWNER_FIELD = "receipt__policyholder__account_manager"
MAX_FILE = 5 * 1024 * 1024


class ReturnedItemSerializer(serializers.ModelSerializer):
    remittance_number = serializers.CharField(source="remittance.number", read_only=True)
    receipt_number = serializers.CharField(source="receipt.number", read_only=True)
    policyholder_name = serializers.CharField(source="receipt.policyholder.display_name", read_only=True)
    return_label = serializers.SerializerMethodField()

    class Meta:
        model = RemittanceItem
        fields = ["id", "remittance", "remittance_number", "receipt", "receipt_number", "policyholder_name",
                  "end_to_end_id", "amount", "state", "returned_on", "return_code", "return_label"]
        read_only_fields = fields

    def get_return_label(self, item) -> str:
        return reason_label(item.return_code) if item.return_code else ""


class ReturnCreateSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=RemittanceItem.objects.all())
    date = serializers.DateField()
    code = serializers.CharField(max_length=4, help_text="Código de motivo SEPA (AM04, MD06, AC04...).")
    fee = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.00"), default=Decimal("0"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["item"].queryset = visible_to(RemittanceItem.objects.all(), user, OWNER_FIELD)


class ReturnResultSerializer(serializers.Serializer):
    item = ReturnedItemSerializer()
    may_retry = serializers.BooleanField(help_text="AM04, MS02, MS03: puede ir en la próxima remesa.")
    fee_entry = serializers.IntegerField(source="fee_entry.pk", allow_null=True, default=None)
    client_email = serializers.CharField(help_text="Dirección a la que se avisó al cliente; vacía si no tiene e-mail.")
    client_notified = serializers.SerializerMethodField()
    cover = serializers.CharField(help_text="Situación de la cobertura de la póliza (art. 15 LCS).")

    def get_client_notified(self, result) -> bool:
        return bool(result.client_email)


class Pain002Serializer(serializers.Serializer):
    file = serializers.FileField()
    confirm_partial = serializers.BooleanField(default=False)


class RejectionSerializer(serializers.Serializer):
    end_to_end_id = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()
    problem = serializers.CharField()


class Pain002ResultSerializer(serializers.Serializer):
    message_id = serializers.CharField()
    remittance = serializers.IntegerField(source="remittance.pk")
    date = serializers.DateField()
    applied = ReturnResultSerializer(many=True)
    refused = RejectionSerializer(many=True)


class ReturnViewSet(ReadOnlyRecordViewSet):
    """Returned debits of SEPA remittances."""

    queryset = (RemittanceItem.objects.filter(state=RemittanceItemState.RETURNED)
                .select_related("remittance", "receipt__policyholder"))
    serializer_class = ReturnedItemSerializer
    owner_field = OWNER_FIELD
    filterset_fields = ["remittance", "return_code"]
    search_fields = ["end_to_end_id", "receipt__number", "receipt__policyholder__display_name"]
    ordering_fields = ["returned_on", "amount", "end_to_end_id"]
    ordering = ["-returned_on", "-pk"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _require(self):
        if not self.request.user.has_perm("treasury.change_remittanceitem"):
            raise PermissionDenied(_("Su rol no permite esta operación."))

    @extend_schema(request=ReturnCreateSerializer, responses={201: ReturnResultSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        self._require()
        params = ReturnCreateSerializer(data=request.data, user=request.user)
        params.is_valid(raise_exception=True)
        result = return_record(actor=request.user, **params.validated_data)
        return Response(ReturnResultSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": Pain002Serializer}, responses={200: Pain002ResultSerializer})
    @action(detail=False, methods=["post"], url_path="pain002")
    def pain002(self, request):
        """Applies the rejections of a pain.002.001.03 report; with unknown or refused debits nothing is
        applied unless confirm_partial is true."""
        self._require()
        params = Pain002Serializer(data=request.data)
        params.is_valid(raise_exception=True)
        upload = params.validated_data["file"]
        if upload.size > MAX_FILE:
            raise serializers.ValidationError({"file": [_("El fichero supera los 5 MB.")]})
        result = pain002_import(actor=request.user, xml=upload.read(),
                                confirm_partial=params.validated_data["confirm_partial"])
        return Response(Pain002ResultSerializer(result).data)


ROUTES = [
    ("treasury/returns", ReturnViewSet, "treasury-return"),
]
