"""API of the renewal portfolio. GET insurance/renewals/ lists proposals (filters: month=YYYY-MM,
state, owner, insurer, line; ?ordering=expiry_date|proposed_total_premium|…); GET …/<id>/ one
proposal. Commands: POST …/<id>/set-premium/ (the insurer's update), …/<id>/confirm/ (renews the
policy: 201 with the proposal), …/<id>/decline/ (non-renewal with its reason) and …/build/ (prepares
the portfolio now). Refusals are 400/409 problem bodies. A Comercial sees only its clients'
proposals. ROUTES are (prefix, viewset, basename), registered by apps.insurance.navigation."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.core.api.viewsets import ReadOnlyRecordViewSet
from apps.insurance.api.serializers_renewals import (
    RenewalBuildResultSerializer, RenewalConfirmSerializer, RenewalDeclineSerializer, RenewalProposalSerializer,
    RenewalSetPremiumSerializer,
)
from apps.insurance.forms.renewals import RenewalFilterSet
from apps.insurance.models import RenewalProposal
from apps.insurance.selectors_renewals import RENEWAL_OWNER_FIELD
from apps.insurance.services.renewals import (
    renewal_confirm, renewal_decline, renewal_set_premium, renewals_build,
)

DECIDE = "insurance.change_renewalproposal"


class RenewalProposalViewSet(ReadOnlyRecordViewSet):
    """Renewal proposals (cartera de renovaciones): one per policy approaching its expiry."""

    queryset = RenewalProposal.objects.select_related("policy", "policy__insurer", "policy__line",
                                                      "policy__policyholder", "renewed_policy")
    serializer_class = RenewalProposalSerializer
    owner_field = RENEWAL_OWNER_FIELD
    filterset_class = RenewalFilterSet
    search_fields = ["policy__number", "policy__policyholder__display_name", "policy__policyholder__tax_id"]
    ordering_fields = ["expiry_date", "current_total_premium", "proposed_total_premium", "state", "decided_at"]
    ordering = ["expiry_date", "pk"]

    def _require(self, *perms: str):
        if not all(self.request.user.has_perm(perm) for perm in perms):
            raise PermissionDenied(_("Su rol no permite esta operación."))

    def _params(self, serializer_class) -> dict:
        params = serializer_class(data=self.request.data)
        params.is_valid(raise_exception=True)
        return dict(params.validated_data)

    def _read(self, proposal, status_code=status.HTTP_200_OK):
        proposal = self.queryset.get(pk=proposal.pk)
        return Response(RenewalProposalSerializer(proposal, context=self.get_serializer_context()).data,
                        status=status_code)

    @extend_schema(request=RenewalSetPremiumSerializer, responses={200: RenewalProposalSerializer})
    @action(detail=True, methods=["post"], url_path="set-premium")
    def set_premium(self, request, pk=None):
        """The insurer's updated net premium; taxes are recomputed for the line."""
        self._require(DECIDE)
        return self._read(renewal_set_premium(actor=request.user, proposal=self.get_object(),
                                              **self._params(RenewalSetPremiumSerializer)))

    @extend_schema(request=RenewalConfirmSerializer, responses={201: RenewalProposalSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Renews the policy from the day after its expiry with the proposed premiums."""
        self._require(DECIDE, "insurance.add_policy", "insurance.change_policy")
        proposal = self.get_object()
        number = self._params(RenewalConfirmSerializer)["number"] or None
        renewal_confirm(actor=request.user, proposal=proposal, number=number)
        return self._read(proposal, status.HTTP_201_CREATED)

    @extend_schema(request=RenewalDeclineSerializer, responses={200: RenewalProposalSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Non-renewal with its reason: the policy is left to expire."""
        self._require(DECIDE)
        return self._read(renewal_decline(actor=request.user, proposal=self.get_object(),
                                          **self._params(RenewalDeclineSerializer)))

    @extend_schema(request=None, responses={200: RenewalBuildResultSerializer})
    @action(detail=False, methods=["post"])
    def build(self, request):
        """Prepares the portfolio now (what the daily job does)."""
        self._require(DECIDE)
        return Response({"created": renewals_build(actor=request.user)})


ROUTES = [
    ("insurance/renewals", RenewalProposalViewSet, "insurance-renewal"),
]
