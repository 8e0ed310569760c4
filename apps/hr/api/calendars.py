"""API of the working calendar. GET hr/holidays/ (?year=, ?scope=, ?work_centre=<id>: the holidays that apply
to that centre — national, its region's and its own), any logged-in user; POST {date, name, scope, region?,
work_centre?} and DELETE …/<id>/ are HR's (holiday_create / holiday_delete). GET hr/holidays/working-days/
?start=&end=&work_centre= counts the working days of a range (Monday to Friday, not a holiday of the centre)."""
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.collections.api.receipts import params
from apps.hr.api.permissions import HRRecordPermission
from apps.hr.choices import HolidayScope
from apps.hr.models import Holiday, WorkCentre
from apps.hr.services.calendars import centre_q, holiday_create, holiday_delete, working_days


class HolidaySerializer(serializers.ModelSerializer):
    work_centre_name = serializers.CharField(source="work_centre.name", read_only=True, default=None)

    class Meta:
        model = Holiday
        fields = ["id", "date", "name", "scope", "region", "work_centre", "work_centre_name"]
        read_only_fields = fields


class HolidayCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField(max_length=120)
    scope = serializers.ChoiceField(choices=HolidayScope.choices)
    region = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    work_centre = serializers.PrimaryKeyRelatedField(queryset=WorkCentre.objects.all(), required=False,
                                                     allow_null=True, default=None)


class RangeSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    work_centre = serializers.IntegerField(required=False, allow_null=True, default=None)


def _centre(pk) -> WorkCentre | None:
    return get_object_or_404(WorkCentre, pk=pk) if pk else None


class HolidayViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Holidays (national, regional by INE code, local of a work centre). Everyone reads; HR writes."""

    serializer_class = HolidaySerializer
    permission_classes = [HRRecordPermission]
    filterset_fields = ["scope", "region", "date"]
    ordering = ["date"]

    def get_queryset(self):
        queryset = Holiday.objects.select_related("work_centre").order_by("date", "scope")
        params_ = self.request.query_params
        if params_.get("year", "").isdigit():
            queryset = queryset.filter(date__year=int(params_["year"]))
        if params_.get("work_centre", "").isdigit():
            queryset = queryset.filter(centre_q(_centre(int(params_["work_centre"]))))
        return queryset

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("work_centre", int)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=HolidayCreateSerializer, responses={201: HolidaySerializer})
    def create(self, request, *args, **kwargs):
        holiday = holiday_create(actor=request.user, **params(HolidayCreateSerializer, request))
        return Response(HolidaySerializer(holiday).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        holiday_delete(actor=self.request.user, holiday=instance)

    @extend_schema(parameters=[OpenApiParameter("start", str), OpenApiParameter("end", str),
                               OpenApiParameter("work_centre", int)], responses={200: dict})
    @action(detail=False, methods=["get"], url_path="working-days")
    def working_days(self, request):
        serializer = RangeSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": _("La fecha de fin es anterior a la de inicio.")})
        centre = _centre(data["work_centre"])
        return Response({"start": data["start"], "end": data["end"], "work_centre": getattr(centre, "pk", None),
                         "working_days": working_days(data["start"], data["end"], centre)})


ROUTES = [("hr/holidays", HolidayViewSet, "hr-holiday")]
