"""API of the catalog: insurers (with contacts), products (with nested coverages; filter by
insurer, line, is_active), lines (read; PATCH of the tax settings), commission agreements (dated:
list and create only) and tariffs (with factors; POST creates a dated version, …/new-version/ opens
the next one from an existing version). Writes go through the catalog services; bad input gets a
400 problem body with the fields named. ROUTES are registered by apps.insurance.navigation."""
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet, expected_version
from apps.insurance.api.serializers_catalog import (
    AgreementSerializer, InsurerSerializer, LineSerializer, ProductSerializer, TariffNewVersionSerializer,
    TariffSerializer, TariffUpdateSerializer,
)
from apps.insurance.models import CommissionAgreement, Coverage, Insurer, Line, Product, Tariff, TariffFactor
from apps.insurance.services.agreements import agreement_create
from apps.insurance.services.catalog import insurer_create, insurer_update, line_update, product_create, product_update
from apps.insurance.services.tariffs import tariff_create_version, tariff_update


def _rows(items):
    return None if items is None else [dict(item) for item in items]


class InsurerViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyRecordViewSet):
    queryset = Insurer.objects.prefetch_related("contacts")
    serializer_class = InsurerSerializer
    filterset_fields = ["is_active", "eiac_supported", "dgsfp_code", "tax_id"]
    search_fields = ["name", "legal_name", "tax_id", "dgsfp_code"]
    ordering_fields = ["name", "dgsfp_code", "created_at"]
    ordering = ["name"]

    def _answer(self, pk, code=status.HTTP_200_OK):
        return Response(InsurerSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        insurer = insurer_create(actor=request.user, data=data, contacts=_rows(data.pop("contacts", None)))
        return self._answer(insurer.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        insurer = self.get_object()
        serializer = self.get_serializer(insurer, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        contacts = _rows(data.pop("contacts", None))
        insurer_update(actor=request.user, insurer=insurer, data=data, contacts=contacts,
                       expected_version=expected_version(request))
        return self._answer(insurer.pk)


class ProductViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyRecordViewSet):
    queryset = Product.objects.select_related("insurer", "line").prefetch_related(
        Prefetch("coverages", queryset=Coverage.objects.order_by("order", "name")))
    serializer_class = ProductSerializer
    filterset_fields = {"insurer": ["exact"], "line": ["exact"], "line__code": ["exact"], "is_active": ["exact"]}
    search_fields = ["name", "code", "insurer__name"]
    ordering_fields = ["name", "code", "insurer__name", "created_at"]
    ordering = ["insurer__name", "name"]

    def _answer(self, pk, code=status.HTTP_200_OK):
        return Response(ProductSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        product = product_create(actor=request.user, data=data, coverages=_rows(data.pop("coverages", None)))
        return self._answer(product.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        product = self.get_object()
        serializer = self.get_serializer(product, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        coverages = _rows(data.pop("coverages", None))
        product_update(actor=request.user, product=product, data=data, coverages=coverages,
                       expected_version=expected_version(request))
        return self._answer(product.pk)


class LineViewSet(mixins.UpdateModelMixin, ReadOnlyRecordViewSet):
    """Lines come from the line apps; only their tax settings are changed here (PATCH)."""

    queryset = Line.objects.all()
    serializer_class = LineSerializer
    filterset_fields = ["code", "dgsfp_class", "is_life", "is_active"]
    ordering = ["name"]

    def update(self, request, *args, **kwargs):
        line = self.get_object()
        serializer = self.get_serializer(line, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        line = line_update(actor=request.user, line=line, data=dict(serializer.validated_data),
                           expected_version=expected_version(request))
        return Response(LineSerializer(line).data)


class AgreementViewSet(mixins.CreateModelMixin, ReadOnlyRecordViewSet):
    """Dated agreements: a change is a new agreement from its date on, never an edit."""

    queryset = CommissionAgreement.objects.select_related("insurer", "product")
    serializer_class = AgreementSerializer
    filterset_fields = {"insurer": ["exact"], "product": ["exact", "isnull"], "valid_from": ["gte", "lte"]}
    ordering_fields = ["valid_from", "created_at"]
    ordering = ["insurer__name", "-valid_from", "-pk"]

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = agreement_create(actor=request.user, data=dict(serializer.validated_data))
        return Response(AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


class TariffViewSet(mixins.UpdateModelMixin, ReadOnlyRecordViewSet):
    """Tariffs with their factor rows. POST {product, valid_from[, copy_from]} opens a dated
    version (a copy of the previous one); PUT/PATCH edits base, minimum, parameters and the whole
    factor table (409 for a version already used in quotes and already in force)."""

    queryset = Tariff.objects.select_related("product").prefetch_related(
        Prefetch("factors", queryset=TariffFactor.objects.order_by("factor", "band_from", "key")))
    serializer_class = TariffSerializer
    filterset_fields = {"product": ["exact"], "product__insurer": ["exact"], "valid_from": ["gte", "lte"]}
    ordering_fields = ["valid_from", "created_at"]
    ordering = ["product", "-valid_from"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return TariffUpdateSerializer
        if self.action in ("create", "new_version"):
            return TariffNewVersionSerializer
        return TariffSerializer

    def _answer(self, pk, code=status.HTTP_200_OK):
        return Response(TariffSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(request=TariffNewVersionSerializer, responses={201: TariffSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        params = TariffNewVersionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        if "product" not in data:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"product": ["Indique el producto."]})
        tariff = tariff_create_version(actor=request.user, product=data["product"], valid_from=data["valid_from"],
                                       copy_from=data.get("copy_from"))
        return self._answer(tariff.pk, status.HTTP_201_CREATED)

    @extend_schema(request=TariffUpdateSerializer, responses={200: TariffSerializer})
    def update(self, request, *args, **kwargs):
        tariff = self.get_object()
        serializer = TariffUpdateSerializer(tariff, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        factors = _rows(data.pop("factors", None))
        tariff_update(actor=request.user, tariff=tariff, data=data, factors=factors,
                      expected_version=expected_version(request))
        return self._answer(tariff.pk)

    @extend_schema(request=TariffNewVersionSerializer, responses={201: TariffSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """The next dated version, starting as a copy of this one: {"valid_from": "2027-01-01"}."""
        tariff = self.get_object()
        params = TariffNewVersionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        new = tariff_create_version(actor=request.user, product=tariff.product,
                                    valid_from=params.validated_data["valid_from"], copy_from=tariff)
        return self._answer(new.pk, status.HTTP_201_CREATED)


ROUTES = [
    ("insurance/insurers", InsurerViewSet, "insurance-insurer"),
    ("insurance/products", ProductViewSet, "insurance-product"),
    ("insurance/lines", LineViewSet, "insurance-line"),
    ("insurance/agreements", AgreementViewSet, "insurance-agreement"),
    ("insurance/tariffs", TariffViewSet, "insurance-tariff"),
]
