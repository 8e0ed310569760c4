"""API of the insurance area «quotes». POST insurance/quotes/ validates the risk, rates every
eligible product and returns the quote with its ranked options (and declined products with their
reason); …/send/, …/accept/ (creates the policy), …/reject/ and …/rerate/ (drafts) are the state
changes. insurance/lines-registry/ lists the registered lines with their risk fields, so
integrators know what to send as `risk`. A Comercial sees only its clients' quotes.
ROUTES are (prefix, viewset, basename), registered by apps.insurance.navigation."""
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet
from apps.crm.selectors import parties_for
from apps.insurance.api.serializers_quotes import (
    QuoteAcceptSerializer, QuoteCreateSerializer, QuoteListSerializer, QuoteRejectSerializer, QuoteRerateSerializer,
    QuoteSerializer, line_description,
)
from apps.insurance.lines import get_line, registered_lines
from apps.insurance.models import Line, Quote, QuoteOption
from apps.insurance.selectors_quotes import QUOTE_OWNER_FIELD
from apps.insurance.services.quotes import quote_accept, quote_create, quote_reject, quote_rerate, quote_send


class QuoteViewSet(mixins.CreateModelMixin, ReadOnlyRecordViewSet):
    """Quotes (proyectos): a client's risk rated against every eligible product of its line."""

    queryset = Quote.objects.select_related("client", "line")
    owner_field = QUOTE_OWNER_FIELD
    filterset_fields = {"state": ["exact"], "line__code": ["exact"], "client": ["exact"], "owner": ["exact"],
                        "effective_date": ["gte", "lte"], "created_at": ["gte", "lte"]}
    search_fields = ["number", "client__display_name", "client__tax_id", "risk_summary"]
    ordering_fields = ["created_at", "effective_date", "valid_until", "number"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("options", queryset=QuoteOption.objects.select_related("product__insurer")))
        return queryset

    def get_serializer_class(self):
        return QuoteListSerializer if self.action == "list" else QuoteSerializer

    def _read(self, quote, status_code=status.HTTP_200_OK):
        quote = self.get_queryset().get(pk=quote.pk)
        return Response(QuoteSerializer(quote, context=self.get_serializer_context()).data, status=status_code)

    def _require(self, perm: str):
        if not self.request.user.has_perm(perm):
            raise PermissionDenied(_("Su rol no permite esta operación."))

    @extend_schema(request=QuoteCreateSerializer, responses={201: QuoteSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        params = QuoteCreateSerializer(data=request.data, parties=parties_for(request.user))
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        quote = quote_create(actor=request.user, client=data.pop("client"), line_code=data.pop("line"),
                             risk=data.pop("risk"), **data)
        return self._read(quote, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: QuoteSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """The comparison went to the client (draft → sent)."""
        self._require("insurance.change_quote")
        return self._read(quote_send(actor=request.user, quote=self.get_object()))

    @extend_schema(request=QuoteRerateSerializer, responses={200: QuoteSerializer})
    @action(detail=True, methods=["post"])
    def rerate(self, request, pk=None):
        """A draft's risk, effective date or advice changed: rate again."""
        self._require("insurance.change_quote")
        params = QuoteRerateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._read(quote_rerate(actor=request.user, quote=self.get_object(), **params.validated_data))

    @extend_schema(request=QuoteAcceptSerializer, responses={200: QuoteSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The client takes one option: the policy is created (its id comes back as `policy`)."""
        self._require("insurance.change_quote")
        self._require("insurance.add_policy")
        params = QuoteAcceptSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        policy = quote_accept(actor=request.user, quote=self.get_object(), **params.validated_data)
        response = self._read(self.get_object())
        response.data["policy"] = {"id": policy.pk, "number": policy.number}
        return response

    @extend_schema(request=QuoteRejectSerializer, responses={200: QuoteSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        self._require("insurance.change_quote")
        params = QuoteRejectSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._read(quote_reject(actor=request.user, quote=self.get_object(), **params.validated_data))


class LineRegistryViewSet(viewsets.GenericViewSet):
    """The registered lines with their risk fields (name, label, type, required, choices) and row
    lists, and a sample risk: what to send as `risk` when creating a quote."""

    queryset = Line.objects.all()  # for the module permission (insurance.view_line)
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = "[-a-z0-9_]+"

    @extend_schema(operation_id="v1_insurance_lines_registry_list", responses={200: dict})
    def list(self, request):
        return Response([line_description(spec) for spec in registered_lines()])

    @extend_schema(responses={200: dict})
    def retrieve(self, request, code=None):
        try:
            return Response(line_description(get_line(code)))
        except LookupError:
            raise Http404 from None


ROUTES = [
    ("insurance/quotes", QuoteViewSet, "insurance-quote"),
    ("insurance/lines-registry", LineRegistryViewSet, "insurance-line-registry"),
]
