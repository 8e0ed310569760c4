"""Quotes (proyectos): one client's risk rated against every eligible product of the line, ranked
by total premium, with the LDS demands-and-needs record (art. 172) and the objective-analysis
statement (art. 173: at least three insurers compared). A quote is sent, then accepted into a
policy (through the policies service), rejected, or expires.

States: draft -> sent -> accepted / rejected / expired; a draft may also be accepted or rejected
directly (the client decides at the desk). Only a draft is re-rated.
"""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.errors import DomainError
from apps.core.events import publish
from apps.core.money import format_eur
from apps.insurance.choices import AdviceKind, QuoteState
from apps.insurance.lines import get_line
from apps.insurance.models import Quote, QuoteOption
from apps.insurance.services.numbering import formatted_number
from apps.insurance.selectors_quotes import commission_rates, coverages_snapshot, quote_products, tariff_tables
from apps.insurance.services.lines import line_for
from apps.insurance.services.rating import ProductRating, rate_product
from apps.insurance.services.risks import risk_validate

QUOTE_SERIES = "P"
MIN_OBJECTIVE_INSURERS = 3
DEFAULT_VALID_DAYS = 30

# The only transitions a quote may take.
QUOTE_TRANSITIONS = {
    QuoteState.DRAFT: {QuoteState.SENT, QuoteState.ACCEPTED, QuoteState.REJECTED},
    QuoteState.SENT: {QuoteState.ACCEPTED, QuoteState.REJECTED, QuoteState.EXPIRED},
    QuoteState.ACCEPTED: set(),
    QuoteState.REJECTED: set(),
    QuoteState.EXPIRED: set(),
}


class QuoteError(DomainError):
    code = "quote_error"


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _check_transition(quote, to_state: str) -> None:
    if to_state not in QUOTE_TRANSITIONS[quote.state]:
        raise QuoteError(
            _("El proyecto %(number)s está «%(state)s»: no puede pasar a «%(to)s».") % {
                "number": quote.number, "state": quote.get_state_display(), "to": QuoteState(to_state).label},
            code="quote_invalid_transition", status=409)


def _locked(quote) -> Quote:
    return Quote.objects.select_for_update(of=("self",)).select_related("client", "line").get(pk=quote.pk)


def _next_number(year: int) -> str:
    return formatted_number(series=QUOTE_SERIES, year=year)


# --- Rating and the statements ----------------------------------------------------------------

def _rate_options(*, quote, products) -> list[QuoteOption]:
    """Rate every product (tariffs, factors, commissions loaded in a fixed number of queries),
    rank the eligible options by total premium (ties by insurer name) and store them."""
    tables = tariff_tables(products, quote.effective_date)
    commissions = commission_rates(products, quote.effective_date)
    options = []
    for product in products:
        table = tables[product.pk]
        if table is None:
            rating = ProductRating(product, None, False, _("El producto no tiene tarifa en vigor el %(date)s.") % {
                "date": quote.effective_date.strftime("%d/%m/%Y")})
        else:
            rating = rate_product(product=product, risk=quote.risk_data, on_date=quote.effective_date, tariff=table)
        taxes = rating.taxes
        options.append(QuoteOption(
            quote=quote, product=product, tariff=rating.tariff, eligible=rating.eligible,
            decline_reason=str(rating.decline_reason or "")[:300], net_premium=rating.net_premium,
            ips=taxes.ips if taxes else 0, consorcio=taxes.consorcio if taxes else 0, clea=taxes.clea if taxes else 0,
            total_premium=rating.total_premium if rating.eligible else 0,
            breakdown=[[str(label), str(detail)] for label, detail in rating.breakdown],
            coverages=coverages_snapshot(product), commission_pct=commissions.get(product.pk),
        ))
    eligible = sorted([o for o in options if o.eligible],
                      key=lambda o: (o.total_premium, o.product.insurer.name.lower(), o.product.name.lower()))
    for rank, option in enumerate(eligible, start=1):
        option.rank = rank
    QuoteOption.objects.bulk_create(options)
    return options


def _check_advice(advice_kind: str, options) -> None:
    eligible = [o for o in options if o.eligible]
    if not eligible:
        declined = "; ".join(f"{o.product.insurer.name}: {o.decline_reason}" for o in options) or _("ninguno")
        raise QuoteError(_("Ningún producto del ramo acepta este riesgo (%(reasons)s).") % {"reasons": declined},
                         code="quote_no_eligible_product")
    if advice_kind == AdviceKind.OBJECTIVE_ANALYSIS:
        insurers = sorted({o.product.insurer.name for o in eligible})
        if len(insurers) < MIN_OBJECTIVE_INSURERS:
            raise QuoteError(
                _("El asesoramiento basado en un análisis objetivo exige comparar ofertas de al menos %(min)d "
                  "compañías (art. 173 LDS) y para este riesgo solo se han encontrado %(count)d (%(names)s). "
                  "Elija «Información sobre un número limitado de entidades» o amplíe el catálogo.") % {
                    "min": MIN_OBJECTIVE_INSURERS, "count": len(insurers), "names": ", ".join(insurers)},
                code="quote_objective_needs_three_insurers", field="advice_kind")


def objective_analysis_text(*, quote, options) -> str:
    """The statement the LDS asks for: who and what was compared, the criteria, the recommended
    option and why. Written for every quote; for advice other than objective analysis it says so."""
    eligible = sorted([o for o in options if o.eligible], key=lambda o: o.rank)
    declined = [o for o in options if not o.eligible]
    insurers = sorted({o.product.insurer.name for o in eligible})
    date = quote.effective_date.strftime("%d/%m/%Y")
    lines = []
    if quote.advice_kind == AdviceKind.OBJECTIVE_ANALYSIS:
        lines.append(_("Asesoramiento basado en un análisis objetivo (arts. 173 y 174 de la Ley de Distribución de "
                       "Seguros): se han analizado %(products)d productos de %(insurers)d compañías del ramo "
                       "«%(line)s», número suficiente de contratos ofrecidos en el mercado para este riesgo.") % {
            "products": len(options), "insurers": len(insurers), "line": quote.line.name})
    elif quote.advice_kind == AdviceKind.LIMITED:
        lines.append(_("Información sobre un número limitado de entidades: se han consultado %(insurers)d compañías "
                       "del ramo «%(line)s»; no se trata de un análisis objetivo del mercado.") % {
            "insurers": len(insurers), "line": quote.line.name})
    else:
        lines.append(_("Sin asesoramiento: se informa de las ofertas disponibles para el ramo «%(line)s» sin "
                       "recomendación personalizada.") % {"line": quote.line.name})
    lines.append(_("Riesgo: %(risk)s. Fecha de efecto prevista: %(date)s.") % {
        "risk": quote.risk_summary, "date": date})
    lines.append(_("Compañías y productos comparados:"))
    for option in eligible:
        lines.append(_("%(rank)d. %(insurer)s · %(product)s: prima neta %(net)s, prima total %(total)s "
                       "(IPS, Consorcio y CLEA incluidos); %(coverages)d garantías.") % {
            "rank": option.rank, "insurer": option.product.insurer.name, "product": option.product.name,
            "net": format_eur(option.net_premium), "total": format_eur(option.total_premium),
            "coverages": len(option.coverages or [])})
    for option in declined:
        lines.append(_("— %(insurer)s · %(product)s: no tarificable (%(reason)s).") % {
            "insurer": option.product.insurer.name, "product": option.product.name, "reason": option.decline_reason})
    lines.append(_("Criterios: adecuación a las exigencias y necesidades declaradas por el cliente, garantías "
                   "incluidas y opcionales, capitales y límites, franquicias y prima total anual con impuestos y "
                   "recargos."))
    if eligible and quote.advice_kind != AdviceKind.NO_ADVICE:
        best = eligible[0]
        lines.append(_("Opción recomendada: %(insurer)s · %(product)s, con una prima total de %(total)s, por ser la "
                       "de menor coste entre las que cubren el riesgo declarado con las garantías comparadas.") % {
            "insurer": best.product.insurer.name, "product": best.product.name,
            "total": format_eur(best.total_premium)})
        if len(eligible) > 1:
            gap = eligible[1].total_premium - best.total_premium
            lines.append(_("La siguiente opción (%(insurer)s) cuesta %(gap)s más al año.") % {
                "insurer": eligible[1].product.insurer.name, "gap": format_eur(gap)})
    return "\n".join(lines)


def needs_text(demands_and_needs: dict, spec=None) -> str:
    """A readable demands-and-needs statement from the questionnaire's answers (question: answer)."""
    from apps.insurance.forms.quotes import needs_display

    answers = {key: value for key, value in (demands_and_needs or {}).items() if value not in (None, "", [], False)}
    return "\n".join(f"{question}: {answer}" for question, answer in needs_display(spec, answers))


def _risk(line_code: str, risk: dict) -> dict:
    """The risk validated by its line (raw or already validated data alike)."""
    return risk_validate(line_code=line_code, raw=risk)


# --- Commands ---------------------------------------------------------------------------------

@transaction.atomic
def quote_create(*, actor, client, line_code: str, risk: dict, effective_date: datetime.date,
                 demands_and_needs: dict | None = None, needs_statement: str = "",
                 advice_kind: str = AdviceKind.OBJECTIVE_ANALYSIS, products=None,
                 valid_days: int = DEFAULT_VALID_DAYS, notes: str = "") -> Quote:
    """Validate the risk, rate every product (default: active products of the line with an active
    insurer), store the ranked options, number the quote and write the advice statement.
    Raises ValidationError (risk fields) or QuoteError (nothing eligible, objective analysis with
    fewer than three insurers...)."""
    if not isinstance(effective_date, datetime.date):
        raise QuoteError(_("Indique la fecha de efecto prevista."), field="effective_date")
    if advice_kind not in AdviceKind.values:
        raise QuoteError(_("Tipo de asesoramiento desconocido: «%s».") % advice_kind, field="advice_kind")
    if client is None:
        raise QuoteError(_("Indique el cliente del proyecto."), field="client")
    data = _risk(line_code, risk)
    spec = get_line(line_code)
    line = line_for(line_code)
    product_ids = None if products is None else [getattr(p, "pk", p) for p in products]
    catalog = quote_products(line=line, product_ids=product_ids)
    if not catalog:
        raise QuoteError(_("No hay productos activos del ramo «%s» que comparar.") % line.name,
                         code="quote_no_products")
    today = timezone.localdate()
    quote = Quote(
        number=_next_number(today.year), client=client, line=line,
        owner=_actor(actor) or getattr(client, "account_manager", None),
        effective_date=effective_date, valid_until=today + datetime.timedelta(days=valid_days),
        risk_data=data, risk_summary=str(spec.summary(data))[:300], demands_and_needs=demands_and_needs or {},
        needs_statement=needs_statement or needs_text(demands_and_needs or {}, spec), advice_kind=advice_kind,
        notes=notes,
        created_by=_actor(actor), updated_by=_actor(actor),
    )
    quote.save()
    options = _rate_options(quote=quote, products=catalog)
    _check_advice(advice_kind, options)
    quote.objective_analysis_statement = objective_analysis_text(quote=quote, options=options)
    quote.save(update_fields=["objective_analysis_statement"])
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=quote, changes={
        "number": [None, quote.number], "client": [None, client.pk], "line": [None, line.pk],
        "products_rated": [None, len(options)], "eligible_options": [None, sum(1 for o in options if o.eligible)]})
    publish("insurance.quote.created", pk=quote.pk, number=quote.number)
    return quote


@transaction.atomic
def quote_rerate(*, actor, quote, risk: dict | None = None, effective_date: datetime.date | None = None,
                 products=None, advice_kind: str | None = None, valid_days: int = DEFAULT_VALID_DAYS) -> Quote:
    """A draft's risk (or effective date, products, advice) changed: rate again from scratch."""
    quote = _locked(quote)
    if quote.state != QuoteState.DRAFT:
        raise QuoteError(_("El proyecto %(number)s está «%(state)s»: solo se recalcula un borrador; cree un "
                           "proyecto nuevo.") % {"number": quote.number, "state": quote.get_state_display()},
                         code="quote_not_draft", status=409)
    spec = get_line(quote.line.code)
    before = {"risk_summary": quote.risk_summary, "effective_date": str(quote.effective_date),
              "advice_kind": quote.advice_kind}
    if risk is not None:
        quote.risk_data = _risk(quote.line.code, risk)
        quote.risk_summary = str(spec.summary(quote.risk_data))[:300]
    if effective_date is not None:
        quote.effective_date = effective_date
    if advice_kind is not None:
        if advice_kind not in AdviceKind.values:
            raise QuoteError(_("Tipo de asesoramiento desconocido: «%s».") % advice_kind, field="advice_kind")
        quote.advice_kind = advice_kind
    if products is None:
        product_ids = list(quote.options.values_list("product_id", flat=True)) or None
    else:
        product_ids = [getattr(p, "pk", p) for p in products]
    catalog = quote_products(line=quote.line, product_ids=product_ids)
    quote.options.all().delete()
    options = _rate_options(quote=quote, products=catalog)
    _check_advice(quote.advice_kind, options)
    quote.valid_until = timezone.localdate() + datetime.timedelta(days=valid_days)
    quote.objective_analysis_statement = objective_analysis_text(quote=quote, options=options)
    quote.updated_by = _actor(actor)
    quote.version += 1
    quote.save()
    after = {"risk_summary": quote.risk_summary, "effective_date": str(quote.effective_date),
             "advice_kind": quote.advice_kind}
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="quote_rerate", obj=quote,
                       changes={k: [before[k], after[k]] for k in before if before[k] != after[k]})
    publish("insurance.quote.rerated", pk=quote.pk, number=quote.number)
    return quote


def _decide(quote, *, actor, to_state: str, verb: str, extra: dict | None = None, **fields) -> Quote:
    before = quote.state
    quote.state = to_state
    for name, value in fields.items():
        setattr(quote, name, value)
    quote.updated_by = _actor(actor)
    quote.version += 1
    quote.save()
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb=verb, obj=quote,
                       changes={"state": [before, to_state], **(extra or {})})
    publish(f"insurance.quote.{to_state}", pk=quote.pk, number=quote.number)
    return quote


@transaction.atomic
def quote_send(*, actor, quote) -> Quote:
    """The comparison goes to the client: state sent, sent_at now."""
    quote = _locked(quote)
    _check_transition(quote, QuoteState.SENT)
    if quote.valid_until < timezone.localdate():
        raise QuoteError(_("El proyecto %(number)s caducó el %(date)s: recalcúlelo antes de enviarlo.") % {
            "number": quote.number, "date": quote.valid_until.strftime("%d/%m/%Y")}, code="quote_out_of_date")
    if not quote.options.filter(eligible=True).exists():
        raise QuoteError(_("El proyecto no tiene ninguna opción tarificable que enviar."))
    return _decide(quote, actor=actor, to_state=QuoteState.SENT, verb="quote_send", sent_at=timezone.now())


@transaction.atomic
def quote_reject(*, actor, quote, reason: str = "") -> Quote:
    """The client declines every option."""
    quote = _locked(quote)
    _check_transition(quote, QuoteState.REJECTED)
    notes = quote.notes
    if reason:
        notes = (notes + "\n" if notes else "") + _("Rechazado: %s") % reason
    return _decide(quote, actor=actor, to_state=QuoteState.REJECTED, verb="quote_reject",
                   extra={"reason": [None, reason]} if reason else None, decided_at=timezone.now(), notes=notes)


@transaction.atomic
def quote_accept(*, actor, quote, option, policy_number: str, start_date: datetime.date, payment_frequency: str,
                 payment_method: str, **policy_kwargs):
    """The client takes `option`: the policy is created by the policies service from the quote and
    the quote becomes accepted. Returns the new policy."""
    quote = _locked(quote)
    _check_transition(quote, QuoteState.ACCEPTED)
    if quote.state == QuoteState.SENT and quote.valid_until < timezone.localdate():
        raise QuoteError(_("El proyecto %(number)s caducó el %(date)s: no se puede aceptar.") % {
            "number": quote.number, "date": quote.valid_until.strftime("%d/%m/%Y")}, code="quote_out_of_date")
    option_id = getattr(option, "pk", option)
    option = QuoteOption.objects.select_related("product__insurer", "product__line", "tariff").filter(
        pk=option_id, quote=quote).first()
    if option is None:
        raise QuoteError(_("La opción elegida no pertenece al proyecto %s.") % quote.number, field="option")
    if not option.eligible:
        raise QuoteError(_("La opción de %(insurer)s no es tarificable (%(reason)s): elija otra.") % {
            "insurer": option.product.insurer.name, "reason": option.decline_reason}, field="option")
    if not (policy_number or "").strip():
        raise QuoteError(_("Indique el número de póliza que ha dado la compañía."), field="policy_number")
    from apps.insurance.services.policies import policy_create_from_quote

    policy = policy_create_from_quote(actor=actor, quote=quote, option=option, number=policy_number.strip(),
                                      start_date=start_date, payment_frequency=payment_frequency,
                                      payment_method=payment_method, **policy_kwargs)
    _decide(quote, actor=actor, to_state=QuoteState.ACCEPTED, verb="quote_accept",
            extra={"option": [None, option.pk], "policy": [None, str(policy)]},
            accepted_option=option, decided_at=timezone.now())
    return policy


@transaction.atomic
def quote_expire(*, actor=None, today: datetime.date | None = None) -> int:
    """Sent quotes past their valid_until become expired (run daily per brokerage). Returns how many."""
    today = today or timezone.localdate()
    count = 0
    for quote in Quote.objects.select_for_update(skip_locked=True).filter(state=QuoteState.SENT,
                                                                         valid_until__lt=today):
        _decide(quote, actor=actor, to_state=QuoteState.EXPIRED, verb="quote_expire")
        count += 1
    return count


def option_summary(option) -> dict:
    """An option as plain data (API, events)."""
    return {"rank": option.rank, "insurer": option.product.insurer.name, "product": option.product.name,
            "net_premium": option.net_premium, "total_premium": option.total_premium}



# --- The printable comparison as PDF ------------------------------------------------------------

PDF_TEMPLATE = "insurance/quotes/pdf.html"


def _no_remote(uri, rel):
    """xhtml2pdf link callback: nothing outside the document is loaded."""
    return ""


def quote_pdf(quote, context: dict) -> bytes:
    """The comparison with the demands-and-needs record and the advice statement, as a PDF.
    `context` is what the printable page shows (views.quotes.comparison_context)."""
    from io import BytesIO

    from django.db import connection
    from django.template.loader import render_to_string
    from xhtml2pdf import pisa

    tenant = getattr(connection, "tenant", None)
    html = render_to_string(PDF_TEMPLATE, {**context, "brokerage": {
        "name": getattr(tenant, "name", ""), "tax_id": getattr(tenant, "tax_id", ""),
        "dgsfp_code": getattr(tenant, "dgsfp_code", "")}})
    buffer = BytesIO()
    result = pisa.CreatePDF(html, dest=buffer, encoding="utf-8", link_callback=_no_remote)
    if result.err:
        raise QuoteError(_("No se pudo generar el PDF del proyecto %s.") % quote.number)
    return buffer.getvalue()


def quote_pdf_filename(quote) -> str:
    return f"proyecto-{quote.number}.pdf"
