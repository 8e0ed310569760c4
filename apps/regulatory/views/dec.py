"""Pages of the DEC (documentación estadístico-contable) to the DGSFP: /regulatorio/dec/<year>/ with
premiums intermediated, commissions, receipts collected and clients' funds by DGSFP ramo and insurer,
the checks against the books and the exports (?export=csv|xlsx|pdf); /regulatorio/dec/ramos/ the
editable mapping of the brokerage's lines to the DGSFP classification."""
from django.contrib import messages
from django.db import connection
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.insurance.models import Line
from apps.regulatory.choices import DecRamo
from apps.regulatory.dec_exports import dec_csv, dec_pdf, dec_xlsx
from apps.regulatory.forms import MappingForm
from apps.regulatory.models import DgsfpLineMapping
from apps.regulatory.selectors_dec import dec_return
from apps.regulatory.services.mapping import mapping_defaults_ensure, mapping_set
from apps.regulatory.views._common import CHANGE_MAPPING, SECTION, VIEW_DEC, needs

TITLE = _l("DEC")
MAPPING_TITLE = _l("Ramos DGSFP de la DEC")
FIRST_YEAR = 2000


@needs(VIEW_DEC)
@require_GET
def dec_index_view(request):
    """The last finished year (the one the DEC is filed for, before 30 April)."""
    return redirect("regulatory:dec", year=timezone.localdate().year - 1)


@needs(VIEW_DEC)
@require_GET
def dec_view(request, year):
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        return redirect("regulatory:dec", year=timezone.localdate().year - 1)
    dec = dec_return(year=year)
    export = request.GET.get("export")
    if export == "csv":
        return dec_csv(dec)
    if export == "xlsx":
        return dec_xlsx(dec)
    if export == "pdf":
        tenant = getattr(connection, "tenant", None)
        return dec_pdf(dec, brokerage=getattr(tenant, "name", ""))
    this_year = timezone.localdate().year
    return render(request, "regulatory/dec/page.html", {
        "title": TITLE, "dec": dec, "premiums_by_ramo": dec.by_ramo("premiums"),
        "commissions_by_ramo": dec.by_ramo("commissions"), "collected_by_ramo": dec.by_ramo("collected"),
        "years": list(range(this_year, max(FIRST_YEAR, this_year - 6) - 1, -1)),
        "can_map": request.user.has_perm(CHANGE_MAPPING),
        "premium_headers": [_("Prima neta"), _("Prima total")], "commission_headers": [_("Importe")],
        "collected_headers": [_("Cobrado por la correduría"), _("Cobrado por la compañía"), _("Total")]})


@needs(VIEW_DEC)
@require_GET
def mapping_view(request):
    if request.user.has_perm(CHANGE_MAPPING):
        mapping_defaults_ensure(actor=request.user)
    mappings = {m.line_id: m for m in DgsfpLineMapping.objects.all()}
    rows = [{"line": line, "mapping": mappings.get(line.pk),
             "form": MappingForm(prefix=f"l{line.pk}", initial={"ramo": mappings[line.pk].ramo})
             if line.pk in mappings else None}
            for line in Line.objects.order_by("name")]
    return render(request, "regulatory/dec/mapping.html", {
        "title": MAPPING_TITLE, "rows": rows, "can_map": request.user.has_perm(CHANGE_MAPPING),
        "ramos": DecRamo.choices})


@needs(CHANGE_MAPPING)
@require_POST
def mapping_set_view(request, line_pk):
    line = get_object_or_404(Line, pk=line_pk)
    form = MappingForm(request.POST, prefix=f"l{line.pk}")
    if not form.is_valid():
        messages.error(request, _("Elija un ramo DGSFP válido."))
    else:
        try:
            mapping = mapping_set(actor=request.user, line=line, ramo=form.cleaned_data["ramo"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(line)s se declara en la DEC como «%(ramo)s».") % {
                "line": line.name, "ramo": mapping.get_ramo_display()})
    return redirect(reverse("regulatory:dec-mapping"))


MENU = [
    MenuEntry(section=SECTION, label=TITLE, url_name="regulatory:dec-index", icon="bi-file-earmark-spreadsheet",
              permission=VIEW_DEC, order=20, also_active=("regulatory:dec", "regulatory:dec-mapping")),
]

urlpatterns = [
    path("dec/", dec_index_view, name="dec-index"),
    path("dec/<int:year>/", dec_view, name="dec"),
    path("dec/ramos/", mapping_view, name="dec-mapping"),
    path("dec/ramos/<int:line_pk>/", mapping_set_view, name="dec-mapping-set"),
]
