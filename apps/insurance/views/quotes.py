"""Pages of the insurance area «quotes» (proyectos): the list (filters by state, line, owner,
client search; export), the new quote in two steps (client, line and date; then the line's risk
form from the registry with its row formsets, the demands-and-needs questionnaire and the advice
kind), the comparison (options side by side, coverages as rows, declined products with their
reason), send / accept into a policy / reject, re-rating a draft, and the printable comparison
(HTML with print CSS, and PDF). Thin: every change is a call to apps.insurance.services.quotes.
A Comercial sees only its clients' quotes (selectors_quotes.quotes_for)."""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry, registry
from apps.audit.selectors import history_for
from apps.audit.sensitive import mask_health
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.tables import columns_for, display_value
from apps.crm.selectors_pipeline import party_search
from apps.insurance.forms.risk_pages import add_row, apply_errors, style_all, style_form
from apps.insurance.choices import QuoteState
from apps.insurance.forms.quotes import (
    AcceptForm, AdviceForm, DemandsForm, QuoteFilterSet, QuoteStartForm, RejectForm, needs_display,
)
from apps.insurance.lines import get_line
from apps.insurance.models import Quote
from apps.insurance.selectors_quotes import quote_comparison, quote_for_page, quotes_for
from apps.insurance.services.quotes import (
    needs_text, quote_accept, quote_create, quote_pdf, quote_pdf_filename, quote_reject, quote_rerate, quote_send,
)
from apps.insurance.services.risks import risk_forms, risk_from_forms, risk_labels, risk_row_tables

INSURANCE = _l("Seguros")
TITLE = _l("Proyectos")
PAGE_SIZE = 25
LIST_FIELDS = ["number", "client", "line", "risk_summary", "state", "effective_date", "valid_until", "owner"]


def needs(*perms: str):
    """login_required plus every permission (403 for a logged-in user without them)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not all(request.user.has_perm(perm) for perm in perms):
                raise PermissionDenied(_("Su rol no permite esta operación."))
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def quote_url(quote) -> str:
    return reverse("insurance:quote-detail", args=[quote.pk])


def _quote_or_404(request, pk) -> Quote:
    quote = quote_for_page(request.user, pk)
    if quote is None:
        raise Http404(_("No existe el proyecto."))
    return quote


def _spec_or_none(code):
    try:
        return get_line(code)
    except LookupError:
        return None




# --- List -----------------------------------------------------------------------------------------

@needs("insurance.view_quote")
@require_GET
def quote_list_view(request):
    queryset = quotes_for(request.user).select_related("client", "line", "owner").order_by("-created_at", "-pk")
    filterset = QuoteFilterSet(request.GET or None, queryset=queryset)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(Q(number__icontains=query) | Q(client__display_name__icontains=query)
                       | Q(client__tax_id__iexact=query) | Q(risk_summary__icontains=query))
    columns = columns_for(Quote, LIST_FIELDS)
    order = request.GET.get("o", "")
    if order.lstrip("-") in {c.name for c in columns if c.sortable}:
        qs = qs.order_by(order, "-pk")
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return (csv_response if export == "csv" else xlsx_response)(qs, columns, slugify(str(TITLE)))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(quote_url(obj), [(display_value(obj, c.name), c.numeric) for c in columns]) for obj in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("o", None)
    context = {
        "title": TITLE, "list_url": reverse("insurance:quote-list"), "create_url": reverse("insurance:quote-create"),
        "can_create": request.user.has_perm("insurance.add_quote"),
        "filterset": filterset, "columns": columns, "rows": rows, "page": page, "query": query, "order": order,
        "querystring": params.urlencode(), "sort_querystring": sort_params.urlencode(),
        "resource": {"search_fields": ["number", "client"]},
    }
    template = "insurance/quotes/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "record-table":
        template = "core/generic/_table.html"
    return render(request, template, context)


# --- New quote: step 1 -----------------------------------------------------------------------------

@needs("insurance.add_quote")
@require_GET
def quote_client_options_view(request):
    """<option>s of the clients matching ?q= (the client select's search box, via htmx)."""
    parties = party_search(request.user, request.GET.get("q", ""))
    return render(request, "crm/pipeline/_party_options.html", {"parties": parties, "query": request.GET.get("q", "")})


@needs("insurance.add_quote")
@require_GET
def quote_create_view(request):
    """Step 1: client, line, effective date. Sent by GET to step 2, so step 2 can be bookmarked."""
    initial = {"effective_date": timezone.localdate(), "client": request.GET.get("client", ""),
               "line": request.GET.get("line", "")}
    form = QuoteStartForm(user=request.user, initial=initial)
    style_form(form)
    return render(request, "insurance/quotes/start.html", {
        "title": _("Nuevo proyecto"), "form": form, "list_url": reverse("insurance:quote-list"),
        "options_url": reverse("insurance:quote-client-options")})


def _risk_page(request, *, start, spec, form, formsets, demands, advice, errors=(), quote=None, status=200):
    style_all(form, formsets)
    for extra in (demands, advice):
        if extra is not None:
            style_form(extra)
    return render(request, "insurance/quotes/risk.html", {
        "title": _("Recalcular proyecto") if quote else _("Nuevo proyecto"), "spec": spec, "start": start,
        "form": form, "formsets": [(name, spec.row_labels.get(name, name), formset)
                                   for name, formset in formsets.items()],
        "demands": demands, "advice": advice, "errors": errors, "object": quote,
        "list_url": reverse("insurance:quote-list"),
        "back_url": quote_url(quote) if quote else reverse("insurance:quote-create") + "?" + request.GET.urlencode(),
    }, status=status)


@needs("insurance.add_quote")
@require_http_methods(["GET", "POST"])
def quote_risk_view(request):
    """Step 2: the line's risk form and row formsets, the demands-and-needs questionnaire and the
    advice kind; POST rates every product and opens the comparison."""
    start = QuoteStartForm(request.GET, user=request.user)
    if not start.is_valid():
        style_form(start)
        return render(request, "insurance/quotes/start.html", {
            "title": _("Nuevo proyecto"), "form": start, "list_url": reverse("insurance:quote-list"),
            "options_url": reverse("insurance:quote-client-options")}, status=400)
    spec = get_line(start.cleaned_data["line"])
    if request.method == "GET":
        form, formsets = risk_forms(spec)
        return _risk_page(request, start=start, spec=spec, form=form, formsets=formsets,
                          demands=DemandsForm(spec=spec), advice=AdviceForm())
    data = request.POST
    if data.get("add_row") in spec.row_forms:
        data = add_row(data, data["add_row"])
        form, formsets = risk_forms(spec, data=data)
        return _risk_page(request, start=start, spec=spec, form=form, formsets=formsets,
                          demands=DemandsForm(data, spec=spec), advice=AdviceForm(data))
    form, formsets = risk_forms(spec, data=data)
    demands, advice = DemandsForm(data, spec=spec), AdviceForm(data)
    errors = []
    try:
        risk = risk_from_forms(spec, form, formsets)
    except ValidationError as exc:
        errors = apply_errors(exc, form, formsets)
        risk = None
    if demands.is_valid() & advice.is_valid() and risk is not None:
        try:
            quote = quote_create(
                actor=request.user, client=start.cleaned_data["client"], line_code=spec.code, risk=risk,
                effective_date=start.cleaned_data["effective_date"], demands_and_needs=demands.answers(),
                needs_statement=advice.cleaned_data["needs_statement"],
                advice_kind=advice.cleaned_data["advice_kind"], notes=advice.cleaned_data["notes"])
        except ValidationError as exc:
            errors = apply_errors(exc, form, formsets)
        except DomainError as exc:
            if exc.field in advice.fields:
                advice.add_error(exc.field, exc.message)
            else:
                errors.append(exc.message)
        else:
            messages.success(request, _("Proyecto %s calculado.") % quote.number)
            return redirect(quote_url(quote))
    return _risk_page(request, start=start, spec=spec, form=form, formsets=formsets, demands=demands, advice=advice,
                      errors=errors, status=400)


@needs("insurance.change_quote")
@require_http_methods(["GET", "POST"])
def quote_rerate_view(request, pk):
    quote = _quote_or_404(request, pk)
    spec = _spec_or_none(quote.line.code)
    if quote.state != QuoteState.DRAFT or spec is None:
        messages.error(request, _("Solo se recalcula un proyecto en borrador."))
        return redirect(quote_url(quote))
    start = QuoteStartForm(user=request.user, initial={"client": quote.client_id, "line": spec.code,
                                                       "effective_date": quote.effective_date})
    if request.method == "GET":
        form, formsets = risk_forms(spec, initial=quote.risk_data)
        return _risk_page(request, start=start, spec=spec, form=form, formsets=formsets, demands=None,
                          advice=None, quote=quote)
    data = request.POST
    if data.get("add_row") in spec.row_forms:
        form, formsets = risk_forms(spec, data=add_row(data, data["add_row"]))
        return _risk_page(request, start=start, spec=spec, form=form, formsets=formsets, demands=None,
                          advice=None, quote=quote)
    form, formsets = risk_forms(spec, data=data)
    errors = []
    try:
        risk = risk_from_forms(spec, form, formsets)
        quote_rerate(actor=request.user, quote=quote, risk=risk)
    except ValidationError as exc:
        errors = apply_errors(exc, form, formsets)
    except DomainError as exc:
        errors = [exc.message]
    else:
        messages.success(request, _("Proyecto %s recalculado.") % quote.number)
        return redirect(quote_url(quote))
    return _risk_page(request, start=start, spec=spec, form=form, formsets=formsets, demands=None, advice=None,
                      errors=errors, quote=quote, status=400)


# --- Comparison, print, PDF ------------------------------------------------------------------------

def comparison_context(quote) -> dict:
    """What the comparison page, the printable page and the PDF show."""
    spec = _spec_or_none(quote.line.code)
    comparison = quote_comparison(quote)
    masked = mask_health(quote.risk_data)  # health keys: «Datos de salud protegidos» (see apps.audit.sensitive)
    risk = risk_labels(spec, masked) if spec is not None else []
    rows = risk_row_tables(spec, masked)
    needs = needs_display(spec, quote.demands_and_needs)
    generated = needs_text(quote.demands_and_needs, spec)
    return {"object": quote, "comparison": comparison, "risk": risk, "risk_rows": rows, "needs": needs,
            "needs_statement": quote.needs_statement if quote.needs_statement.strip() != generated else "",
            "columns": len(comparison.eligible) + 1}


@needs("insurance.view_quote")
@require_GET
def quote_detail_view(request, pk):
    quote = _quote_or_404(request, pk)
    context = comparison_context(quote)
    user = request.user
    allowed = {QuoteState.DRAFT: {"send", "accept", "reject", "rerate"}, QuoteState.SENT: {"accept", "reject"}}
    can = allowed.get(quote.state, set()) if user.has_perm("insurance.change_quote") else set()
    options = context["comparison"].eligible
    context.update({
        "title": TITLE, "list_url": reverse("insurance:quote-list"), "history": history_for(quote),
        "can_send": "send" in can and bool(options), "can_accept": "accept" in can and bool(options),
        "can_reject": "reject" in can, "can_rerate": "rerate" in can,
        "accept_form": style_form(AcceptForm(quote=quote, options=options)) if "accept" in can and options else None,
        "reject_form": style_form(RejectForm()) if "reject" in can else None,
        "show_commission": user.has_perm("insurance.view_commissionagreement"),
    })
    return render(request, "insurance/quotes/detail.html", context)


@needs("insurance.view_quote")
@require_GET
def quote_print_view(request, pk):
    quote = _quote_or_404(request, pk)
    return render(request, "insurance/quotes/print.html", {**comparison_context(quote), "printable": True})


@needs("insurance.view_quote")
@require_GET
def quote_pdf_view(request, pk):
    quote = _quote_or_404(request, pk)
    try:
        content = quote_pdf(quote, comparison_context(quote))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(quote_url(quote))
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{quote_pdf_filename(quote)}"'
    return response


# --- Commands ----------------------------------------------------------------------------------------

@needs("insurance.change_quote")
@require_POST
def quote_send_view(request, pk):
    quote = _quote_or_404(request, pk)
    try:
        quote_send(actor=request.user, quote=quote)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Proyecto %s marcado como enviado al cliente.") % quote.number)
    return redirect(quote_url(quote))


@needs("insurance.change_quote")
@require_POST
def quote_reject_view(request, pk):
    quote = _quote_or_404(request, pk)
    form = RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        quote_reject(actor=request.user, quote=quote, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Proyecto %s rechazado.") % quote.number)
    return redirect(quote_url(quote))


@needs("insurance.change_quote", "insurance.add_policy")
@require_http_methods(["GET", "POST"])
def quote_accept_view(request, pk):
    quote = _quote_or_404(request, pk)
    options = quote_comparison(quote).eligible
    form = AcceptForm(request.POST or None, quote=quote, options=options)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            policy = quote_accept(actor=request.user, quote=quote, option=data["option"],
                                  policy_number=data["policy_number"], start_date=data["start_date"],
                                  payment_frequency=data["payment_frequency"], payment_method=data["payment_method"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Proyecto %(quote)s aceptado: póliza %(policy)s creada.") % {
                "quote": quote.number, "policy": policy.number})
            return redirect(_policy_url(policy) or quote_url(quote))
    return render(request, "insurance/quotes/accept.html", {
        "title": TITLE, "object": quote, "form": style_form(form), "list_url": reverse("insurance:quote-list"),
        "cancel_url": quote_url(quote)}, status=400 if request.method == "POST" else 200)


def _policy_url(policy) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse("insurance:policy-detail", args=[policy.pk])
    except NoReverseMatch:
        return ""


registry.register_search_index({"model": Quote, "fields": ["number", "client__display_name", "risk_summary"],
                                "url_name": "insurance:quote-detail", "owner_field": "client__account_manager"})

MENU = [
    MenuEntry(section=INSURANCE, label=TITLE, url_name="insurance:quote-list", icon="bi-clipboard-data",
              permission="insurance.view_quote", order=20),
]

urlpatterns = [
    path("proyectos/", quote_list_view, name="quote-list"),
    path("proyectos/nuevo/", quote_create_view, name="quote-create"),
    path("proyectos/nuevo/riesgo/", quote_risk_view, name="quote-risk"),
    path("proyectos/clientes/", quote_client_options_view, name="quote-client-options"),
    path("proyectos/<int:pk>/", quote_detail_view, name="quote-detail"),
    path("proyectos/<int:pk>/recalcular/", quote_rerate_view, name="quote-rerate"),
    path("proyectos/<int:pk>/imprimir/", quote_print_view, name="quote-print"),
    path("proyectos/<int:pk>/pdf/", quote_pdf_view, name="quote-pdf"),
    path("proyectos/<int:pk>/enviar/", quote_send_view, name="quote-send"),
    path("proyectos/<int:pk>/aceptar/", quote_accept_view, name="quote-accept"),
    path("proyectos/<int:pk>/rechazar/", quote_reject_view, name="quote-reject"),
]
