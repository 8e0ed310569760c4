"""API of the DEC: GET regulatory/dec/?year=2025 (the return with its sections and checks, amounts as
Decimal strings; needs regulatory.view_dec), GET regulatory/mappings/ and PATCH …/<id>/ {ramo} (the
brokerage's line → DGSFP ramo table, through services.mapping)."""
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from apps.core.api.permissions import ModulePermission
from apps.core.api.viewsets import ReadOnlyRecordViewSet
from apps.regulatory.api.serializers import DecSerializer, MappingSerializer
from apps.regulatory.models import DgsfpLineMapping
from apps.regulatory.selectors_dec import dec_return
from apps.regulatory.services.mapping import mapping_set


class CanViewDec(BasePermission):
    message = "Su rol no permite ver la DEC."

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("regulatory.view_dec"))


class DecQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class DecViewSet(viewsets.ViewSet):
    """The DEC (documentación estadístico-contable) of a year."""

    queryset = DgsfpLineMapping.objects.none()
    permission_classes = [ModulePermission, CanViewDec]

    @extend_schema(summary="DEC de un ejercicio", responses=DecSerializer,
                   parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Ejercicio (por defecto el anterior)")])
    def list(self, request):
        query = DecQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year - 1
        dec = dec_return(year=year)
        data = DecSerializer(dec).data
        return Response(data)


class RamoSerializer(serializers.Serializer):
    ramo = serializers.CharField()


class MappingViewSet(mixins.UpdateModelMixin, ReadOnlyRecordViewSet):
    """The brokerage's lines mapped to the DGSFP classification."""

    queryset = DgsfpLineMapping.objects.select_related("line")
    serializer_class = MappingSerializer
    ordering = ["line__name"]
    http_method_names = ["get", "patch", "head", "options"]

    def partial_update(self, request, *args, **kwargs):
        mapping = self.get_object()
        body = RamoSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mapping = mapping_set(actor=request.user, line=mapping.line, ramo=body.validated_data["ramo"])
        return Response(MappingSerializer(mapping).data)


ROUTES = [
    ("regulatory/dec", DecViewSet, "regulatory-dec"),
    ("regulatory/mappings", MappingViewSet, "regulatory-mappings"),
]
