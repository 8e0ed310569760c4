"""API: GET search/?q=&kinds=party,policy&per_kind=10&page=1 -> the hits grouped by kind, each group with
its total, over what the caller may read (the same rules as the pages). A query that cannot mean anything
(only symbols, over 200 characters) answers 200 with no groups and a message, never an error."""
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from apps.identity.models import ApiKey
from apps.search.selectors import parse_kinds, search_for

MAX_PER_KIND = 50


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField(source="object_id")
    title = serializers.CharField()
    subtitle = serializers.CharField()
    url = serializers.CharField()
    score = serializers.FloatField()


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    hits = SearchHitSerializer(many=True)


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    message = serializers.CharField()
    total = serializers.IntegerField()
    groups = SearchGroupSerializer(many=True)


class SearchPermission(BasePermission):
    """Any signed-in user (or API key with «read»): what they find is limited to what they may read."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated) or request.method not in SAFE_METHODS:
            return False
        return not isinstance(request.auth, ApiKey) or "read" in request.auth.scopes


def _int(value, default: int, top: int) -> int:
    try:
        return max(1, min(int(value), top))
    except (TypeError, ValueError):
        return default


class GroupedResultsSchema(AutoSchema):
    """The list action answers one object (the groups), not an array of them."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class SearchViewSet(viewsets.ViewSet):
    permission_classes = [SearchPermission]
    schema = GroupedResultsSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Texto a buscar (máximo 200 caracteres)."),
            OpenApiParameter("kinds", OpenApiTypes.STR,
                             description="Tipos separados por comas: party, policy, receipt, claim, invoice, employee…"),
            OpenApiParameter("per_kind", OpenApiTypes.INT, description="Resultados por tipo (1-50, por defecto 10)."),
            OpenApiParameter("page", OpenApiTypes.INT, description="Página de resultados de cada tipo."),
        ],
        responses={200: SearchResultsSerializer},
    )
    def list(self, request):
        params = request.query_params
        results = search_for(request.user, params.get("q", ""), kinds=parse_kinds(params.get("kinds")),
                             per_kind=_int(params.get("per_kind"), 10, MAX_PER_KIND),
                             page=_int(params.get("page"), 1, 10_000))
        return Response(SearchResultsSerializer(results).data)


ROUTES = [("search", SearchViewSet, "search")]
