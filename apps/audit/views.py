"""The audit viewer (filters, export, chain verification) and the «Mostrar» endpoint of sensitive fields."""
from django.apps import apps as django_apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.audit.choices import AuditAction
from apps.audit.navigation import events
from apps.audit.selectors import latest_verification
from apps.audit.sensitive import health_values, spec_for
from apps.audit.services import audit_event_record, sensitive_reveal
from apps.core.errors import DomainError
from apps.core.permissions import perm_name
from apps.core.tables import display_value
from apps.core.views.generic import RecordListView

VERIFY_PERMISSION = "audit.view_auditverification"


class AuditEventListView(RecordListView):
    """The generic list of events with the viewer's filters, the export (audited) and, for
    administrators, the latest hash-chain verification with «Verificar ahora»."""

    resource = events

    def base_context(self, **extra):
        return {**super().base_context(**extra), "list_url": reverse("audit:events")}

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            filters = {key: value for key, value in request.GET.items() if key not in ("export", "page") and value}
            audit_event_record(actor=request.user, action=AuditAction.ACTION, verb="audit_export",
                               changes={"formato": export, "filtros": filters})
            return super().get(request, *args, **kwargs)
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "record-table":
            return super().get(request, *args, **kwargs)
        return self._page(request)

    def _page(self, request):
        filterset, qs, columns, query, order = self.filtered()
        page = Paginator(qs, self.resource.paginate_by).get_page(request.GET.get("page"))
        detail = self.resource.url_name("detail")
        rows = [(reverse(detail, args=[obj.pk]), [(display_value(obj, c.name), c.numeric) for c in columns])
                for obj in page.object_list]
        params = request.GET.copy()
        params.pop("page", None)
        sort_params = params.copy()
        sort_params.pop("o", None)
        can_verify = request.user.has_perm(VERIFY_PERMISSION)
        context = self.base_context(
            filterset=filterset, columns=columns, rows=rows, page=page, query=query, order=order,
            querystring=params.urlencode(), sort_querystring=sort_params.urlencode(),
            can_verify=can_verify,
            verification=latest_verification() if can_verify else None,
        )
        return render(request, "audit/events.html", context)


def _sensitive_object(request, model: str, pk: int, field: str):
    try:
        model_class = django_apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404 from None
    spec = spec_for(model_class, field)
    if spec is None:
        raise Http404
    if not request.user.has_perm(perm_name(model_class, "view")):
        raise PermissionDenied
    obj = model_class._default_manager.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return spec, obj


@login_required
@require_POST
def sensitive_reveal_view(request, model: str, pk: int, field: str):
    """POST (htmx): the clear value in place of the masked one; the reveal is audited."""
    spec, obj = _sensitive_object(request, model, pk, field)
    try:
        value = sensitive_reveal(actor=request.user, obj=obj, field=field, channel="web")
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        raise Http404 from None
    context = {"spec": spec, "value": value, "health": health_values(value) if spec.kind == "health" else None}
    return render(request, "audit/_sensitive_revealed.html", context)
