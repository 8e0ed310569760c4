"""API of claims. GET claims/claims/ lists with the list page's filters (state, insurer, line,
handler, cause, loss_from, loss_to, policy, policyholder; ?search=, ?ordering=); GET …/<id>/
returns the claim with its third parties, reserve changes, payments, tasks, documents and state
history; POST creates one (cover checks; 409 «claim_duplicate» unless allow_duplicate). Actions
(POST): …/transition/, …/reserve/, …/payment/, …/task/, …/task-done/, …/third-party/,
…/third-party-remove/, …/documents/ (multipart). Errors are 400/409 problem bodies. A Comercial
sees only its clients' claims (404 on another's)."""
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.claims.api.serializers import (
    ClaimCreateSerializer, ClaimListSerializer, ClaimSerializer, DocumentUploadSerializer, PaymentSerializer,
    ReserveSerializer, TaskDoneSerializer, TaskSerializer, ThirdPartyRemoveSerializer, ThirdPartySerializer,
    TransitionSerializer,
)
from apps.claims.filtersets import ClaimFilterSet
from apps.claims.models import Claim, ClaimPayment, ClaimStateChange, ClaimTask, ReserveChange
from apps.claims.selectors import CLAIM_OWNER_FIELD
from apps.claims.services.claims import (
    claim_open, claim_third_party_add, claim_third_party_remove, claim_transition,
)
from apps.claims.services.payments import claim_payment_add, claim_reserve_set
from apps.claims.services.work import claim_document_add, claim_task_add, claim_task_done
from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet
from apps.insurance.selectors_policies import policies_for

DETAIL_PREFETCH = (
    "third_parties", "documents",
    Prefetch("reserve_changes", queryset=ReserveChange.objects.order_by("created_at", "pk")),
    Prefetch("payments", queryset=ClaimPayment.objects.order_by("date", "pk")),
    Prefetch("tasks", queryset=ClaimTask.objects.order_by("done_at", "due_date", "pk")),
    Prefetch("state_changes", queryset=ClaimStateChange.objects.order_by("created_at", "pk")),
)


class ClaimViewSet(mixins.CreateModelMixin, ReadOnlyRecordViewSet):
    """Claims (siniestros): cover checks on opening, reserve and payments, tasks, documents and the
    state machine (reported, in review, accepted, rejected, paid, closed, reopened)."""

    queryset = Claim.objects.select_related("policy", "insurer", "line", "policyholder")
    owner_field = CLAIM_OWNER_FIELD
    filterset_class = ClaimFilterSet
    search_fields = ["number", "policy__number", "policyholder__display_name", "policyholder__tax_id",
                     "insurer_claim_number"]
    ordering_fields = ["reported_date", "loss_date", "number", "reserve", "paid_total", "created_at"]
    ordering = ["-reported_date", "-pk"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(*DETAIL_PREFETCH)
        return queryset

    def get_serializer_class(self):
        return ClaimListSerializer if self.action == "list" else ClaimSerializer

    def _read(self, claim, status_code=status.HTTP_200_OK):
        claim = (Claim.objects.select_related("policy", "insurer", "line", "policyholder")
                 .prefetch_related(*DETAIL_PREFETCH).get(pk=claim.pk))
        return Response(ClaimSerializer(claim, context=self.get_serializer_context()).data, status=status_code)

    def _require(self, *perms: str):
        if not all(self.request.user.has_perm(perm) for perm in perms):
            raise PermissionDenied(_("Su rol no permite esta operación."))

    def _params(self, serializer_class):
        params = serializer_class(data=self.request.data)
        params.is_valid(raise_exception=True)
        return dict(params.validated_data)

    @extend_schema(request=ClaimCreateSerializer, responses={201: ClaimSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        params = ClaimCreateSerializer(data=request.data, policies=policies_for(request.user))
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        data["third_parties"] = [dict(item) for item in data.get("third_parties") or []]
        return self._read(claim_open(actor=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """To a state CLAIM_TRANSITIONS allows (409 otherwise); «rejected» needs a reason."""
        self._require("claims.change_claim")
        return self._read(claim_transition(actor=request.user, claim=self.get_object(),
                                           **self._params(TransitionSerializer)))

    @extend_schema(request=ReserveSerializer, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def reserve(self, request, pk=None):
        self._require("claims.change_claim")
        claim = self.get_object()
        claim_reserve_set(actor=request.user, claim=claim, **self._params(ReserveSerializer))
        return self._read(claim)

    @extend_schema(request=PaymentSerializer, responses={201: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def payment(self, request, pk=None):
        """A payment; beyond the reserve only with approve_over_reserve=true by someone allowed (409 otherwise)."""
        self._require("claims.change_claim")
        claim = self.get_object()
        params = self._params(PaymentSerializer)
        approve = params.pop("approve_over_reserve")
        claim_payment_add(actor=request.user, claim=claim, approved_by=request.user if approve else None, **params)
        return self._read(claim, status.HTTP_201_CREATED)

    @extend_schema(request=TaskSerializer, responses={201: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def task(self, request, pk=None):
        self._require("claims.change_claim")
        claim = self.get_object()
        claim_task_add(actor=request.user, claim=claim, **self._params(TaskSerializer))
        return self._read(claim, status.HTTP_201_CREATED)

    @extend_schema(request=TaskDoneSerializer, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"], url_path="task-done")
    def task_done(self, request, pk=None):
        self._require("claims.change_claim")
        claim = self.get_object()
        task = claim.tasks.filter(pk=self._params(TaskDoneSerializer)["task"]).first()
        if task is None:
            raise NotFound(_("No existe la tarea."))
        claim_task_done(actor=request.user, task=task)
        return self._read(claim)

    @extend_schema(request=ThirdPartySerializer, responses={201: ClaimSerializer})
    @action(detail=True, methods=["post"], url_path="third-party")
    def third_party(self, request, pk=None):
        self._require("claims.change_claim")
        claim = self.get_object()
        claim_third_party_add(actor=request.user, claim=claim, data=self._params(ThirdPartySerializer))
        return self._read(claim, status.HTTP_201_CREATED)

    @extend_schema(request=ThirdPartyRemoveSerializer, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"], url_path="third-party-remove")
    def third_party_remove(self, request, pk=None):
        self._require("claims.change_claim")
        claim = self.get_object()
        party = claim.third_parties.filter(pk=self._params(ThirdPartyRemoveSerializer)["third_party"]).first()
        if party is None:
            raise NotFound(_("No existe el tercero."))
        claim_third_party_remove(actor=request.user, third_party=party)
        return self._read(claim)

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer}, responses={201: ClaimSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        """Upload (multipart: file, description): PDF, JPEG, PNG, HEIC or DOCX up to 20 MB, typed by its bytes."""
        self._require("claims.change_claim")
        claim = self.get_object()
        claim_document_add(actor=request.user, claim=claim, **self._params(DocumentUploadSerializer))
        return self._read(claim, status.HTTP_201_CREATED)


ROUTES = [
    ("claims/claims", ClaimViewSet, "claims-claim"),
]
