"""API of the accounting area «closing»: the year-end close of each fiscal year.

GET accounting/year-end/ lists the fiscal years and whether each one is closed with its
year-end entries; GET accounting/year-end/<id>/ adds the preview (result, accounts to close,
what stops closing or undoing); POST …/<id>/close/ runs year_end_close and POST …/<id>/reopen/
undoes it (apps.accounting.services.year_end). ROUTES are (prefix, viewset, basename),
registered by apps.accounting.navigation."""
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.accounting.choices import EntryKind, EntryState
from apps.accounting.models import Entry, FiscalYear
from apps.accounting.services.year_end import (
    year_end_close, year_end_preview, year_end_reopen, year_end_result_message,
)
from apps.core.api.viewsets import ReadOnlyRecordViewSet


def _closed_by_year_end():
    source = Concat(Value("accounting.fiscalyear:"), OuterRef("pk"), output_field=CharField())
    return Exists(Entry.objects.filter(kind=EntryKind.CLOSING, state=EntryState.POSTED, reversed_by__isnull=True,
                                       source=source))


class YearEndEntrySerializer(serializers.ModelSerializer):
    fiscal_year = serializers.CharField(source="fiscal_year.name")

    class Meta:
        model = Entry
        fields = ["id", "fiscal_year", "number", "date", "kind", "description", "total"]


class FiscalYearCloseSerializer(serializers.ModelSerializer):
    is_closed = serializers.BooleanField(read_only=True, help_text=_("Cerrado con regularización y cierre."))

    class Meta:
        model = FiscalYear
        fields = ["id", "name", "start_date", "end_date", "state", "is_closed"]


class YearEndPreviewSerializer(serializers.Serializer):
    next_year = serializers.CharField(source="next_year.name", allow_null=True, default=None)
    income = serializers.DecimalField(max_digits=16, decimal_places=2)
    expenses = serializers.DecimalField(max_digits=16, decimal_places=2)
    result = serializers.DecimalField(max_digits=16, decimal_places=2)
    result_accounts = serializers.IntegerField()
    balance_accounts = serializers.IntegerField()
    drafts = serializers.IntegerField()
    later_entries = serializers.IntegerField()
    can_close = serializers.BooleanField()
    close_problems = serializers.ListField(child=serializers.CharField())
    can_reopen = serializers.BooleanField()
    reopen_problems = serializers.ListField(child=serializers.CharField())
    entries = serializers.SerializerMethodField()

    def get_entries(self, obj) -> list[dict]:
        return YearEndEntrySerializer(list(obj["entries"].values()), many=True).data


class FiscalYearCloseDetailSerializer(FiscalYearCloseSerializer):
    preview = serializers.SerializerMethodField()

    class Meta(FiscalYearCloseSerializer.Meta):
        fields = [*FiscalYearCloseSerializer.Meta.fields, "preview"]

    def get_preview(self, obj) -> dict:
        return YearEndPreviewSerializer(year_end_preview(fiscal_year=obj)).data


class YearEndResultSerializer(serializers.Serializer):
    message = serializers.CharField()
    result = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    next_year = serializers.CharField(allow_null=True)
    entries = YearEndEntrySerializer(many=True)


class YearEndViewSet(ReadOnlyRecordViewSet):
    """Fiscal years and their year-end close (regularisation, closing and opening entries)."""

    queryset = FiscalYear.objects.all()
    serializer_class = FiscalYearCloseSerializer
    filterset_fields = ["state", "name"]
    ordering_fields = ["start_date", "name"]
    ordering = ["-start_date"]

    def get_queryset(self):
        return super().get_queryset().annotate(is_closed=_closed_by_year_end())

    def get_serializer_class(self):
        return FiscalYearCloseSerializer if self.action == "list" else FiscalYearCloseDetailSerializer

    def _require_change(self, request):
        for perm in ("accounting.change_fiscalyear", "accounting.add_entry"):
            if not request.user.has_perm(perm):
                raise PermissionDenied(_("Su rol no permite cerrar ejercicios."))

    @extend_schema(request=None, responses={201: YearEndResultSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        self._require_change(request)
        result = year_end_close(actor=request.user, fiscal_year=self.get_object())
        entries = [result[kind] for kind in ("regularisation", "closing", "opening") if result[kind] is not None]
        return Response(YearEndResultSerializer({
            "message": year_end_result_message(result), "result": result["result"],
            "next_year": result["next_year"].name, "entries": entries}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: YearEndResultSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        self._require_change(request)
        year = self.get_object()
        reversals = year_end_reopen(actor=request.user, fiscal_year=year)
        return Response(YearEndResultSerializer({
            "message": _("Cierre del ejercicio %s deshecho.") % year.name, "result": None, "next_year": None,
            "entries": reversals}).data, status=status.HTTP_201_CREATED)


ROUTES = [
    ("accounting/year-end", YearEndViewSet, "accounting-year-end"),
]
