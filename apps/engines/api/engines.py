"""API of the engines (/api/v1/engines/):
GET  engines/                      the engines the caller may run, with their input schema
GET  engines/{key}/                one engine
POST engines/{key}/runs/           start a run with the inputs (JSON or multipart) -> 202, Location, run id
                                   (an identical run still queued or running is returned, "reused": true)
GET  engines/runs/                 the caller's runs (all runs with engines.view_enginerun)
GET  engines/runs/{id}/            status, progress, message, error and, once succeeded, the result dict
POST engines/runs/{id}/cancel/     cancel a queued or running run
"""
from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.problems import problem_body
from apps.engines import registry as engines
from apps.engines.choices import Trigger
from apps.engines.errors import EngineNotFound
from apps.engines.models import EngineRun
from apps.engines.params import form_params
from apps.engines.selectors import runs_visible_to
from apps.engines.services.runs import can_run, engine_run_cancel, engine_run_start
from apps.identity.models import ApiKey


class EnginePermission(permissions.BasePermission):
    message = _("Su rol no permite ejecutar motores de cálculo.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if isinstance(request.auth, ApiKey):
            needed = "read" if request.method in permissions.SAFE_METHODS else "write"
            if needed not in request.auth.scopes:
                self.message = f"La clave de API no tiene el ámbito «{needed}»."
                return False
        return request.user.has_perm("engines.run_engine")


def _field_type(field) -> str:
    for cls, name in ((forms.ModelMultipleChoiceField, "model_multiple_choice"), (forms.ModelChoiceField, "model_choice"),
                      (forms.MultipleChoiceField, "multiple_choice"), (forms.ChoiceField, "choice"),
                      (forms.DateField, "date"), (forms.DecimalField, "decimal"), (forms.IntegerField, "integer"),
                      (forms.FloatField, "number"), (forms.BooleanField, "boolean"), (forms.FileField, "file")):
        if isinstance(field, cls):
            return name
    return "string"


def input_schema(engine) -> list[dict]:
    form = engine.form_class()
    fields = []
    for name, field in form.fields.items():
        item = {"name": name, "type": _field_type(field), "label": str(field.label or name),
                "required": field.required, "help_text": str(field.help_text or "")}
        initial = form.get_initial_for_field(field, name)
        if initial is not None and not hasattr(initial, "pk"):
            item["initial"] = initial.isoformat() if hasattr(initial, "isoformat") else initial
        if isinstance(field, forms.ModelChoiceField):
            item["choices"] = [{"value": obj.pk, "label": str(obj)} for obj in field.queryset[:500]]
        elif isinstance(field, forms.ChoiceField):
            item["choices"] = [{"value": v, "label": str(label)} for v, label in field.choices if v != ""]
        fields.append(item)
    return fields


def engine_data(engine, *, schema: bool = True) -> dict:
    data = {"key": engine.key, "label": str(engine.label), "category": engine.category,
            "category_label": str(engine.category_label), "description": str(engine.description),
            "permission": engine.permission}
    if schema:
        data["input_schema"] = input_schema(engine)
    return data


def run_data(run) -> dict:
    job = run.job
    return {"id": run.pk, "engine": run.engine_key, "label": run.engine_label, "status": job.status,
            "status_label": str(job.get_status_display()), "progress": job.progress, "message": job.message,
            "error": job.error or None, "params": run.params, "trigger": run.trigger, "job": job.pk,
            "created_at": run.created_at, "started_at": job.started_at, "finished_at": job.finished_at,
            "result": run.result if run.is_final else None}


RUN_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Número de la ejecución")


@extend_schema_view(
    list=extend_schema(operation_id="v1_engines_list", summary="Motores que puede ejecutar",
                       responses=OpenApiTypes.OBJECT),
    retrieve=extend_schema(operation_id="v1_engines_detail", summary="Un motor y su esquema de entrada",
                           responses=OpenApiTypes.OBJECT),
    runs=extend_schema(operation_id="v1_engines_run_start", summary="Lanzar una ejecución", request=OpenApiTypes.OBJECT,
                       responses={202: OpenApiTypes.OBJECT}),
)
class EngineViewSet(viewsets.ViewSet):
    permission_classes = [EnginePermission]
    lookup_field = "key"
    lookup_value_regex = r"[a-z0-9_]+\.[a-z0-9_]+"

    def _get(self, key):
        engine = engines.get(key)
        if not can_run(self.request.user, engine):
            raise EngineNotFound(_("No existe el motor «%(key)s».") % {"key": key})
        return engine

    def list(self, request):
        return Response([engine_data(e) for e in engines.all() if can_run(request.user, e)])

    def retrieve(self, request, key=None):
        return Response(engine_data(self._get(key)))

    @action(detail=True, methods=["post"], url_path="runs")
    def runs(self, request, key=None):
        engine = self._get(key)
        form = engine.form_class(data=request.data, files=request.FILES or None)
        if not form.is_valid():
            errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
            body = problem_body(400, _("Los datos de entrada no son válidos."), code="engine_input", errors=errors,
                                instance=request.get_full_path())
            return Response(body, status=400, content_type="application/problem+json")
        run, created = engine_run_start(actor=request.user, engine_key=engine.key,
                                        params=form_params(form.cleaned_data), trigger=Trigger.API)
        body = {**run_data(run), "reused": not created}
        response = Response(body, status=status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("api:engine-run-detail", args=[run.pk])
        return response


@extend_schema_view(
    list=extend_schema(operation_id="v1_engine_runs_list", summary="Ejecuciones", responses=OpenApiTypes.OBJECT,
                       parameters=[OpenApiParameter("engine", OpenApiTypes.STR, description="Clave del motor")]),
    retrieve=extend_schema(operation_id="v1_engine_runs_detail", summary="Estado y resultado de una ejecución",
                           parameters=[RUN_ID], responses=OpenApiTypes.OBJECT),
    cancel=extend_schema(operation_id="v1_engine_runs_cancel", summary="Cancelar una ejecución", parameters=[RUN_ID],
                         request=None, responses=OpenApiTypes.OBJECT),
)
class EngineRunViewSet(viewsets.GenericViewSet):
    permission_classes = [EnginePermission]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EngineRun.objects.none()
        return runs_visible_to(self.request.user).order_by("-created_at", "-id")

    def list(self, request):
        qs = self.get_queryset()
        if request.query_params.get("engine"):
            qs = qs.filter(engine_key=request.query_params["engine"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([{**run_data(r), "result": None} for r in page])

    def retrieve(self, request, pk=None):
        return Response(run_data(self.get_object()))

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        run = engine_run_cancel(actor=request.user, run=self.get_object())
        return Response(run_data(run))


ROUTES = [
    ("engines/runs", EngineRunViewSet, "engine-run"),
    ("engines", EngineViewSet, "engine"),
]
