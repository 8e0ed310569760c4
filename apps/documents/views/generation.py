"""«Generar PDF» on a record's page: renders the record's document from the brokerage's template, stores it as
a document of the record and goes back to the page. Who may: whoever may attach documents to the record
(apps.documents.access: view it, else 404; change it, else 403). One service call (services.generation)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.documents.services.generation import document_generate
from apps.documents.services.generation_kinds import KINDS, readable_record


def back_url(request) -> str:
    for candidate in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
        if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                         require_https=request.is_secure()):
            return candidate
    return "/"


@login_required
@require_POST
def document_generate_view(request, code, label, pk):
    kind = KINDS.get(code)
    record = readable_record(request.user, f"{label}.{pk}") if kind and kind.source_for(label) else None
    if record is None:
        raise Http404(_("No existe el registro o no puede verlo."))
    try:
        document = document_generate(actor=request.user, template_code=code, record=record)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("«%(title)s» se ha guardado en los documentos de %(record)s.") % {
            "title": document.title, "record": record})
    return redirect(back_url(request))


urlpatterns = [
    path("generar/<str:code>/<str:label>/<int:pk>/", document_generate_view, name="generate"),
]
