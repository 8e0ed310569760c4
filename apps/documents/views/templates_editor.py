"""The template editor (staff with documents.change_documenttemplate): the list of the generated
documents, the HTML of one in a textarea with «Vista previa PDF» on a sample record, its revisions with
«Restaurar», «Volver a la de serie», and the letterhead (logo and address). Thin doors into
services.templates and services.letterhead."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error, styled
from apps.documents.models import DocumentTemplate
from apps.documents.services.generation import document_render_pdf
from apps.documents.services.generation_context import current_tenant, sample_label
from apps.documents.services.generation_kinds import KINDS, kind_for
from apps.documents.services.letterhead import letterhead_update
from apps.documents.services.templates import (
    default_template_source, document_template_reset, document_template_restore, document_template_save,
    template_source,
)

TITLE = _l("Plantillas de documentos")
VIEW, CHANGE = "documents.view_documenttemplate", "documents.change_documenttemplate"
SAMPLES = 20
SYNTAX_HELP = _l("Lenguaje de plantillas de Django, sin «load» ni «include»: variables como {{ brokerage.name }} o "
                 "{{ policy.number }} y las etiquetas if, for, with y translate. Las imágenes solo como data: URI; "
                 "el logotipo de la correduría está en {{ brokerage.logo }}.")


class TemplateForm(forms.Form):
    body = forms.CharField(label=_l("HTML de la plantilla"), widget=forms.Textarea(attrs={
        "rows": 28, "spellcheck": "false", "class": "font-monospace small"}), strip=False)
    note = forms.CharField(label=_l("Nota del cambio"), max_length=200, required=False)
    sample = forms.TypedChoiceField(label=_l("Registro de ejemplo"), coerce=int, required=False, empty_value=None)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LetterheadForm(forms.Form):
    address = forms.CharField(label=_l("Domicilio"), max_length=300, required=False)
    logo = forms.ImageField(label=_l("Logotipo (PNG o JPEG, hasta 2 MB)"), required=False)
    remove_logo = forms.BooleanField(label=_l("Quitar el logotipo"), required=False)


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("Su rol no permite esta operación."))


def _kind_or_404(code):
    if code not in KINDS:
        raise Http404(_("No existe esa plantilla."))
    return kind_for(code)


def _samples(kind, user) -> list:
    source = kind.sources[0]
    if source.permission and not user.has_perm(source.permission):
        return []
    return list(source.readable(user).order_by("-pk")[:SAMPLES])


@login_required
def template_list_view(request):
    _require(request, VIEW)
    custom = {row.code: row for row in DocumentTemplate.objects.select_related("updated_by")}
    rows = [(kind, custom.get(code)) for code, kind in KINDS.items()]
    tenant = current_tenant()
    form = LetterheadForm(initial={"address": getattr(tenant, "address", "")})
    return render(request, "documents/generation/template_list.html", {
        "title": TITLE, "rows": rows, "letterhead_form": styled(form), "tenant": tenant,
        "can_change": request.user.has_perm(CHANGE)})


def _edit(request, kind, form, *, status=200):
    if not form.fields["sample"].choices:
        _edit_choices(form, kind, request.user)
    custom = DocumentTemplate.objects.filter(code=kind.code).first()
    revisions = list(custom.revisions.select_related("created_by")[:30]) if custom else []
    return render(request, "documents/generation/template_edit.html", {
        "title": kind.label, "kind": kind, "form": styled(form), "custom": custom, "revisions": revisions,
        "can_change": request.user.has_perm(CHANGE), "list_url": reverse("documents:template-list"),
        "syntax_help": SYNTAX_HELP}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit_view(request, code):
    _require(request, VIEW)
    kind = _kind_or_404(code)
    if request.method == "GET":
        custom = DocumentTemplate.objects.filter(code=code).first()
        return _edit(request, kind, TemplateForm(initial={"body": template_source(code),
                                                          "revision": custom.revision if custom else 0}))
    _require(request, CHANGE)
    form = TemplateForm(request.POST)
    _edit_choices(form, kind, request.user)
    if not form.is_valid():
        return _edit(request, kind, form, status=400)
    try:
        template = document_template_save(actor=request.user, code=code, body=form.cleaned_data["body"],
                                          note=form.cleaned_data["note"],
                                          expected_revision=form.cleaned_data["revision"])
    except DomainError as exc:
        return _edit(request, kind, form, status=form_error(form, exc))
    messages.success(request, _("Plantilla guardada (revisión %(n)d).") % {"n": template.revision})
    return redirect("documents:template-edit", code=code)


def _edit_choices(form, kind, user) -> None:
    form.fields["sample"].choices = [(record.pk, sample_label(record)) for record in _samples(kind, user)]


@login_required
@require_POST
def template_preview_view(request, code):
    """The posted (unsaved) HTML rendered as a PDF on the chosen sample record."""
    _require(request, VIEW)
    kind = _kind_or_404(code)
    form = TemplateForm(request.POST)
    _edit_choices(form, kind, request.user)
    if not form.is_valid():
        return _edit(request, kind, form, status=400)
    record = kind.sources[0].readable(request.user).filter(pk=form.cleaned_data["sample"]).first() \
        if form.cleaned_data["sample"] else None
    if record is None:
        form.add_error("sample", _("Elija un registro de ejemplo para la vista previa."))
        return _edit(request, kind, form, status=400)
    try:
        content = document_render_pdf(template_code=code, record=record, source=form.cleaned_data["body"])
    except DomainError as exc:
        return _edit(request, kind, form, status=form_error(form, exc))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="vista-previa-{code}.pdf"'
    return response


@login_required
@require_POST
def template_restore_view(request, code, number):
    _require(request, CHANGE)
    _kind_or_404(code)
    try:
        template = document_template_restore(actor=request.user, code=code, number=number)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Revisión %(old)d restaurada como revisión %(n)d.") % {
            "old": number, "n": template.revision})
    return redirect("documents:template-edit", code=code)


@login_required
@require_POST
def template_reset_view(request, code):
    _require(request, CHANGE)
    _kind_or_404(code)
    template = document_template_reset(actor=request.user, code=code)
    messages.success(request, _("Se usa de nuevo la plantilla de serie (revisión %(n)d).") % {"n": template.revision})
    return redirect("documents:template-edit", code=code)


@login_required
def template_default_view(request, code):
    """The shipped template as text, to compare with the brokerage's."""
    _require(request, VIEW)
    _kind_or_404(code)
    return HttpResponse(default_template_source(code), content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def letterhead_view(request):
    _require(request, CHANGE)
    form = LetterheadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            letterhead_update(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Membrete actualizado."))
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect("documents:template-list")


urlpatterns = [
    path("plantillas/", template_list_view, name="template-list"),
    path("plantillas/membrete/", letterhead_view, name="template-letterhead"),
    path("plantillas/<str:code>/", template_edit_view, name="template-edit"),
    path("plantillas/<str:code>/vista-previa/", template_preview_view, name="template-preview"),
    path("plantillas/<str:code>/serie/", template_default_view, name="template-default"),
    path("plantillas/<str:code>/volver-a-serie/", template_reset_view, name="template-reset"),
    path("plantillas/<str:code>/revisiones/<int:number>/restaurar/", template_restore_view, name="template-restore"),
]

MENU = [
    MenuEntry(section=_l("Documentos"), label=TITLE, url_name="documents:template-list", icon="bi-file-earmark-code",
              permission=VIEW, order=80),
]
