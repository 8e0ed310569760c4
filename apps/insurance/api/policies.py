"""API of the insurance area «policies». GET insurance/policies/ lists with the page's filters
(line, insurer, product, state, expiry_month=YYYY-MM, policyholder, number; ?search=, ?ordering=);
GET …/<id>/ returns the policy with its versions and state history; POST creates one (the risk is
validated by its line and rated with the product's tariff in force on the start date). Actions:
…/issue/, …/endorse/, …/suspend/, …/resume/, …/cancel/, …/reactivate/, …/renew/;
GET …/versions/ and …/diff/?a=1&b=2. Errors are 400/409 problem bodies. A Comercial sees only its
clients' policies. ROUTES are (prefix, viewset, basename), registered by apps.insurance.navigation."""
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet
from apps.crm.selectors import parties_for
from apps.insurance.api.serializers_policies import (
    CancelSerializer, EndorseSerializer, PolicyCreateSerializer, PolicyListSerializer, PolicySerializer,
    PolicyVersionSerializer, RenewSerializer, StateChangeSerializer,
)
from apps.insurance.filtersets import PolicyFilterSet
from apps.insurance.models import Policy, PolicyStateChange, PolicyVersion
from apps.insurance.selectors_policies import POLICY_OWNER_FIELD, version_diff
from apps.insurance.services.endorsements import policy_endorse
from apps.insurance.services.policies import (
    policy_cancel, policy_create, policy_issue, policy_reactivate, policy_renew, policy_resume, policy_suspend,
)


class PolicyViewSet(mixins.CreateModelMixin, ReadOnlyRecordViewSet):
    """Policies: number unique per insurer, versions (issue, endorsements, cancellation,
    reactivation, renewal) and the state machine."""

    queryset = Policy.objects.select_related("insurer", "product", "line", "policyholder")
    owner_field = POLICY_OWNER_FIELD
    filterset_class = PolicyFilterSet
    search_fields = ["number", "policyholder__display_name", "policyholder__tax_id", "risk_summary"]
    ordering_fields = ["start_date", "expiry_date", "number", "total_premium", "created_at"]
    ordering = ["-start_date", "-pk"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action not in ("list", "create"):
            queryset = queryset.select_related("current_version").prefetch_related(
                Prefetch("versions", queryset=PolicyVersion.objects.order_by("number")),
                Prefetch("state_changes", queryset=PolicyStateChange.objects.order_by("created_at", "pk")))
        return queryset

    def get_serializer_class(self):
        return PolicyListSerializer if self.action == "list" else PolicySerializer

    def _read(self, policy, status_code=status.HTTP_200_OK):
        policy = (Policy.objects.select_related("insurer", "product", "line", "policyholder", "current_version")
                  .prefetch_related(Prefetch("versions", queryset=PolicyVersion.objects.order_by("number")),
                                    Prefetch("state_changes",
                                             queryset=PolicyStateChange.objects.order_by("created_at", "pk")))
                  .get(pk=policy.pk))
        return Response(PolicySerializer(policy, context=self.get_serializer_context()).data, status=status_code)

    def _require(self, *perms: str):
        if not all(self.request.user.has_perm(perm) for perm in perms):
            raise PermissionDenied(_("Su rol no permite esta operación."))

    def _params(self, serializer_class):
        params = serializer_class(data=self.request.data)
        params.is_valid(raise_exception=True)
        return dict(params.validated_data)

    @extend_schema(request=PolicyCreateSerializer, responses={201: PolicySerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        params = PolicyCreateSerializer(data=request.data, parties=parties_for(request.user))
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        product = data.pop("product")
        policy = policy_create(actor=request.user, insurer=product.insurer, product=product, **data)
        return self._read(policy, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PolicySerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """draft → in_force."""
        self._require("insurance.change_policy")
        return self._read(policy_issue(actor=request.user, policy=self.get_object()))

    @extend_schema(request=EndorseSerializer, responses={200: PolicySerializer})
    @action(detail=True, methods=["post"])
    def endorse(self, request, pk=None):
        """An endorsement (suplemento): a new version from `effective_date`; earlier ones never change."""
        self._require("insurance.change_policy")
        policy = self.get_object()
        policy_endorse(actor=request.user, policy=policy, **self._params(EndorseSerializer))
        return self._read(policy)

    def _state(self, service):
        self._require("insurance.change_policy")
        return self._read(service(actor=request_user(self), policy=self.get_object(),
                                  **self._params(StateChangeSerializer)))

    @extend_schema(request=StateChangeSerializer, responses={200: PolicySerializer})
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._state(policy_suspend)

    @extend_schema(request=StateChangeSerializer, responses={200: PolicySerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._state(policy_resume)

    @extend_schema(request=StateChangeSerializer, responses={200: PolicySerializer})
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        """Only policies cancelled for non-payment or at the client's request, within six months."""
        return self._state(policy_reactivate)

    @extend_schema(request=CancelSerializer, responses={200: PolicySerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        self._require("insurance.change_policy")
        return self._read(policy_cancel(actor=request.user, policy=self.get_object(), **self._params(CancelSerializer)))

    @extend_schema(request=RenewSerializer, responses={201: PolicySerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """A new policy from the day after the expiry; the old one becomes «renewed»."""
        self._require("insurance.change_policy", "insurance.add_policy")
        params = self._params(RenewSerializer)
        renewal = policy_renew(actor=request.user, policy=self.get_object(), number=params["number"] or None,
                               rerate=params["rerate"])
        return self._read(renewal, status.HTTP_201_CREATED)

    @extend_schema(responses={200: PolicyVersionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        return Response(PolicyVersionSerializer(self.get_object().versions.all(), many=True).data)

    @extend_schema(parameters=[OpenApiParameter("a", int), OpenApiParameter("b", int)], responses={200: dict})
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        """Before/after of two versions (numbers a and b; default: the last two)."""
        policy = self.get_object()
        versions = {v.number: v for v in policy.versions.all()}
        numbers = sorted(versions)
        try:
            a = int(request.query_params.get("a") or (numbers[-2] if len(numbers) > 1 else numbers[-1]))
            b = int(request.query_params.get("b") or numbers[-1])
        except (TypeError, ValueError):
            raise ValidationError({"a": [_("Indique los números de versión a comparar.")]}) from None
        missing = [name for name, number in (("a", a), ("b", b)) if number not in versions]
        if missing:
            raise ValidationError({name: [_("La póliza no tiene esa versión.")] for name in missing})
        return Response(version_diff(versions[a], versions[b]).as_dict())


def request_user(viewset):
    return viewset.request.user


ROUTES = [
    ("insurance/policies", PolicyViewSet, "insurance-policy"),
]
