"""«Combinar correspondencia»: a letter per party of a CRM segment, stored on each party and e-mailed to
those who consented, run as a background job whose progress the jobs page shows (services.mail_merge)."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error, styled
from apps.documents.services.mail_merge import mail_merge_start

TITLE = _l("Combinar correspondencia")
PERMISSIONS = ("crm.view_segment", "crm.change_party")  # each letter is attached to its party


class MailMergeForm(forms.Form):
    segment = forms.ModelChoiceField(label=_l("Segmento"), queryset=None)
    subject = forms.CharField(label=_l("Asunto"), max_length=200,
                              help_text=_l("Título del documento y asunto del correo. Admite {{ nombre }}."))
    body_template = forms.CharField(label=_l("Texto de la carta"), widget=forms.Textarea(attrs={"rows": 12}),
                                    help_text=_l("Puede usar {{ nombre }}, {{ nombre_completo }} y {{ gestor }}."))
    send_email = forms.BooleanField(label=_l("Enviar por correo a quien dio su consentimiento comercial"),
                                    required=False, initial=True)

    def __init__(self, *args, **kwargs):
        from apps.crm.models import Segment

        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = Segment.objects.order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def mail_merge_view(request):
    if not all(request.user.has_perm(perm) for perm in PERMISSIONS):
        raise PermissionDenied(_("Su rol no permite esta operación."))
    form = MailMergeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                job = mail_merge_start(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Combinación en marcha: se generará una carta por cliente del segmento."))
                return redirect(reverse("ui:jobs-jobrun-detail", args=[job.pk]))
    return render(request, "documents/generation/mail_merge.html", {"title": TITLE, "form": styled(form)},
                  status=status)


urlpatterns = [path("combinar/", mail_merge_view, name="mail-merge")]

MENU = [
    MenuEntry(section=_l("Documentos"), label=TITLE, url_name="documents:mail-merge", icon="bi-envelope-paper",
              permission="crm.change_party", order=81),
]
