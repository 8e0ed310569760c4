"""API of the treasury area «bank accounts and mandates». GET/POST treasury/bank-accounts/, GET/PUT/PATCH
…/<id>/ through services.accounts; GET/POST treasury/mandates/ (filters party, state, expired), GET …/<id>/
with the next debit's sequence type. Commands: POST treasury/mandates/<id>/amend/ {iban, bic, on_date}
and …/<id>/revoke/ {on_date}, each one call to services.mandates. Errors are problem+json (409 for a
revoked mandate)."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.collections.api.receipts import params, require
from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet
from apps.treasury.api.serializers_accounts import (
    MandateAmendSerializer, MandateRevokeSerializer, MandateSerializer, TreasuryBankAccountSerializer,
)
from apps.treasury.filtersets_accounts import MandateFilterSet
from apps.treasury.models import BankAccount, Mandate
from apps.treasury.services.accounts import bank_account_create, bank_account_update
from apps.treasury.services.mandates import mandate_amend, mandate_create, mandate_revoke


class BankAccountViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyRecordViewSet):
    """The brokerage's bank accounts (IBAN, BIC, SEPA creditor identifier, ledger account 572)."""

    queryset = BankAccount.objects.select_related("account")
    serializer_class = TreasuryBankAccountSerializer
    search_fields = ["name", "iban"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = bank_account_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = bank_account_update(actor=self.request.user, bank_account=serializer.instance,
                                                  **serializer.validated_data)


class MandateViewSet(mixins.CreateModelMixin, ReadOnlyRecordViewSet):
    """SEPA direct-debit mandates signed by clients (CORE/B2B, recurrent or one-off)."""

    queryset = Mandate.objects.select_related("party")
    serializer_class = MandateSerializer
    filterset_class = MandateFilterSet
    search_fields = ["reference", "party__display_name", "party__tax_id", "iban"]
    ordering_fields = ["signature_date", "reference", "last_used_on"]
    ordering = ["-signature_date", "-pk"]

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = mandate_create(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=MandateAmendSerializer, responses={200: MandateSerializer})
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        """The debtor's new IBAN: the old one is kept and the next debit is FRST again."""
        require(request, "treasury.change_mandate")
        data = params(MandateAmendSerializer, request)
        mandate = mandate_amend(actor=request.user, mandate=self.get_object(), **data)
        return Response(MandateSerializer(mandate).data)

    @extend_schema(request=MandateRevokeSerializer, responses={200: MandateSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        require(request, "treasury.change_mandate")
        data = params(MandateRevokeSerializer, request)
        mandate = mandate_revoke(actor=request.user, mandate=self.get_object(), **data)
        return Response(MandateSerializer(mandate).data)


ROUTES = [
    ("treasury/bank-accounts", BankAccountViewSet, "treasury-bank-account"),
    ("treasury/mandates", MandateViewSet, "treasury-mandate"),
]
