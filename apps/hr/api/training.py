"""API of continuing training (LDS). Courses: GET hr/training-courses/ (anyone logged in, or an API key with the
read scope), POST / PUT / PATCH (HR). Records: GET hr/training-records/ (the employee their own, a manager their
team's, HR all; ?employee=, ?course=; any other id answers 404), POST {employee, course, completed_on, hours?,
certificate?} — JSON, or multipart with `certificate_file` stored as a «Certificado» document — and DELETE (HR).
GET hr/training-report/?year=&department=&level=&pending= the yearly hours against each level's requirement
(HR everyone, a manager their team; anyone else an empty list). Each change is one services.training call."""
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.collections.api.receipts import params
from apps.core.api.idempotency import idempotent
from apps.hr.api.permissions import HRRecordPermission
from apps.hr.choices import DistributionRole
from apps.hr.models import Employee, EmployeeDocument, TrainingCourse
from apps.hr.selectors_training import report_employees, training_report, visible_records
from apps.hr.services.training import COURSE_FIELDS, course_create, course_update, training_record_add, \
    training_record_delete


class TrainingCourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingCourse
        fields = ["id", *COURSE_FIELDS, "version"]
        read_only_fields = ["id", "version"]


class TrainingRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    employee = serializers.IntegerField(source="employee_id", read_only=True)
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    course = serializers.IntegerField(source="course_id", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)
    counts_for_distribution = serializers.BooleanField(source="course.counts_for_distribution", read_only=True)
    completed_on = serializers.DateField(read_only=True)
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)
    certificate = serializers.IntegerField(source="certificate_id", read_only=True, allow_null=True)


class TrainingRecordCreateSerializer(serializers.Serializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    course = serializers.PrimaryKeyRelatedField(queryset=TrainingCourse.objects.all())
    completed_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True,
                                     default=None, help_text="Por defecto, las horas del curso.")
    certificate = serializers.PrimaryKeyRelatedField(queryset=EmployeeDocument.objects.all(), required=False,
                                                     allow_null=True, default=None)
    certificate_file = serializers.FileField(required=False, allow_null=True, default=None)


class TrainingReportRowSerializer(serializers.Serializer):
    employee = serializers.IntegerField(source="employee.pk")
    code = serializers.CharField(source="employee.code")
    employee_name = serializers.CharField(source="employee.full_name")
    department = serializers.CharField(source="employee.department.name", default=None)
    level = serializers.CharField()
    required = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    done = serializers.DecimalField(max_digits=8, decimal_places=2)
    missing = serializers.DecimalField(max_digits=8, decimal_places=2)
    compliant = serializers.BooleanField(allow_null=True, help_text="null: ese año no se le exigen horas.")
    state = serializers.CharField(help_text="not_applicable, not_yet_required, compliant, in_progress, "
                                            "non_compliant")
    obligation_from = serializers.IntegerField(allow_null=True)


class TrainingReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    results = TrainingReportRowSerializer(many=True)


class TrainingCourseViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Training courses; whether their hours count for the distribution obligation (LDS)."""

    serializer_class = TrainingCourseSerializer
    permission_classes = [HRRecordPermission]
    queryset = TrainingCourse.objects.all()
    filterset_fields = ["counts_for_distribution", "modality"]
    search_fields = ["title", "provider"]
    ordering = ["-start_date", "title"]

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = course_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = course_update(actor=self.request.user, course=serializer.instance,
                                            **serializer.validated_data)


class TrainingRecordViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Completed training of the employees you may read."""

    serializer_class = TrainingRecordSerializer
    permission_classes = [HRRecordPermission]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    filterset_fields = ["employee", "course"]
    ordering = ["-completed_on"]

    def get_queryset(self):
        return visible_records(self.request.user).order_by("-completed_on", "-pk")

    @extend_schema(request=TrainingRecordCreateSerializer, responses={201: TrainingRecordSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        record = training_record_add(actor=request.user, **params(TrainingRecordCreateSerializer, request))
        return Response(TrainingRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        training_record_delete(actor=self.request.user, record=instance)


class TrainingReportViewSet(viewsets.ViewSet):
    """Yearly training hours per person against their level's requirement (RD 287/2021 art. 11)."""

    permission_classes = [HRRecordPermission]

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("department", int),
                               OpenApiParameter("level", str, enum=DistributionRole.values),
                               OpenApiParameter("pending", bool)],
                   responses={200: TrainingReportSerializer})
    def list(self, request):
        query = request.query_params
        year = query.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
        department = query.get("department", "")
        level = query.get("level", "")
        if department and not department.isdigit():
            raise serializers.ValidationError({"department": _("Departamento no válido.")})
        if level and level not in DistributionRole.values:
            raise serializers.ValidationError({"level": _("Nivel no válido: %s.") % ", ".join(DistributionRole.values)})
        employees = report_employees(request.user)
        rows = [] if employees is None else training_report(
            employees, year, department=int(department) if department else None, level=level,
            pending_only=query.get("pending", "").lower() in ("1", "true", "yes"))
        return Response({"year": year, "results": TrainingReportRowSerializer(rows, many=True).data})


ROUTES = [("hr/training-courses", TrainingCourseViewSet, "hr-training-course"),
          ("hr/training-records", TrainingRecordViewSet, "hr-training-record"),
          ("hr/training-report", TrainingReportViewSet, "hr-training-report")]
