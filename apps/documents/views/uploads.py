"""The doors of the «Documentos» panel: upload (one request per file from static/documents/upload.js, which
shows a progress bar each; several files in one plain form post without JavaScript), new version, delete,
download (a presigned URL of the object store when there is one, else the file streamed) and the panel's
list fragment. Thin: each command is one call to services.documents.

The script's requests (X-Requested-With: XMLHttpRequest) get JSON: {"id", "title", "url"} or
{"error", "code"} with the refusal's status (400 bad file, 403 view-only record, 404 record not viewable).
A plain form gets a redirect back, or a 4xx page with the message."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import DomainError
from apps.documents.errors import DocumentError
from apps.documents.panels import panel_context
from apps.documents.selectors import document_for, version_for
from apps.documents.services.documents import document_delete, document_open, document_upload


class UploadForm(forms.Form):
    key = forms.CharField(max_length=80)
    title = forms.CharField(label=_l("Título"), max_length=200, required=False)
    category = forms.IntegerField(required=False, min_value=1)
    expires_on = forms.DateField(label=_l("Caduca el"), required=False)


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return fallback


def _refused(request, exc: DomainError, back: str):
    if _wants_json(request):
        return JsonResponse({"error": str(exc.message), "code": exc.code}, status=exc.status)
    return render(request, "documents/refused.html", {"title": _("No se pudo completar"), "message": exc.message,
                                                      "back_url": back}, status=exc.status)


def _form_refusal(form) -> DocumentError:
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    return DocumentError(f"{label}: {errors[0]}" if label else errors[0], code="documents_invalid", field=field)


def _created(document) -> JsonResponse:
    return JsonResponse({"id": document.pk, "title": document.title,
                         "url": reverse("documents:document-detail", args=[document.pk])}, status=201)


@login_required
@require_POST
def upload_view(request):
    form = UploadForm(request.POST)
    back = _back(request, reverse("documents:document-list"))
    files = request.FILES.getlist("file")
    if not form.is_valid():
        return _refused(request, _form_refusal(form), back)
    if not files:
        return _refused(request, DocumentError(_("Adjunte un archivo."), code="documents_file", field="file"), back)
    data, stored = form.cleaned_data, []
    for upload in files:  # the script sends one file per request; a plain form may send several
        try:
            stored.append(document_upload(actor=request.user, key=data["key"], upload=upload, title=data["title"],
                                          category=data["category"], expires_on=data["expires_on"]))
        except DomainError as exc:
            if _wants_json(request) or exc.status != 400:
                return _refused(request, exc, back)
            messages.error(request, exc.message)
    if _wants_json(request):
        return _created(stored[0])
    if stored:
        messages.success(request, _("Documentos subidos: %d.") % len(stored))
    return HttpResponseRedirect(back)


@login_required
@require_POST
def version_add_view(request, pk):
    back = _back(request, reverse("documents:document-detail", args=[pk]))
    try:
        document = document_for(request.user, pk)
        form = UploadForm({"key": document.record_key, "expires_on": request.POST.get("expires_on", "")})
        if not form.is_valid():
            raise _form_refusal(form)
        upload = request.FILES.get("file")
        if upload is None:
            raise DocumentError(_("Adjunte un archivo."), code="documents_file", field="file")
        document = document_upload(actor=request.user, key=document.record_key, upload=upload, document=document,
                                   expires_on=form.cleaned_data["expires_on"])
    except DomainError as exc:
        return _refused(request, exc, back)
    if _wants_json(request):
        return _created(document)
    messages.success(request, _("Nueva versión de «%s» subida.") % document.title)
    return HttpResponseRedirect(back)


@login_required
@require_POST
def delete_view(request, pk):
    back = _back(request, reverse("documents:document-list"))
    try:
        document = document_for(request.user, pk)
        document_delete(actor=request.user, document=document)
    except DomainError as exc:
        return _refused(request, exc, back)
    if _wants_json(request):
        return JsonResponse({"id": document.pk, "deleted": True})
    messages.success(request, _("Documento «%s» eliminado.") % document.title)
    return HttpResponseRedirect(back)


def _download(request, version):
    try:
        opened = document_open(actor=request.user, version=version)
    except DomainError as exc:
        raise Http404(exc.message) from None
    if opened.url:
        return HttpResponseRedirect(opened.url)
    return FileResponse(opened.handle, as_attachment=True, filename=opened.filename, content_type=opened.mime_type)


@login_required
@require_GET
def version_download_view(request, pk):
    try:
        version = version_for(request.user, pk)
    except DomainError as exc:
        raise Http404(exc.message) from None
    return _download(request, version)


@login_required
@require_GET
def panel_view(request):
    """The panel's body (its list and, for who may change the record, the upload form), loaded after the
    record page and re-read by the script after uploads (404 unless the user may view the record)."""
    panel = panel_context(request.user, request.GET.get("key", ""), next_url=request.GET.get("next", ""))
    if panel is None:
        raise Http404(_("No existe el registro o no tiene acceso a él."))
    return render(request, "documents/_panel_body.html", {"panel": panel})


urlpatterns = [
    path("subir/", upload_view, name="upload"),
    path("panel/", panel_view, name="panel"),
    path("<int:pk>/version/", version_add_view, name="version-add"),
    path("<int:pk>/eliminar/", delete_view, name="document-delete"),
    path("versiones/<int:pk>/descargar/", version_download_view, name="version-download"),
]
