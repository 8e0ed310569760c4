"""Quote services: rating three insurers ranked with taxes to the cent, declined products with
their reason, the objective-analysis rule (three insurers), numbering, transitions, expiry."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AuditEvent
from apps.insurance.choices import AdviceKind, QuoteState
from apps.insurance.models import NumberCounter, Quote
from apps.insurance.services.quotes import (
    QuoteError, quote_create, quote_expire, quote_reject, quote_rerate, quote_send,
)
from tests.fixtures.insurance import make_insurer, make_product
from tests.insurance.test_quote_support import (  # noqa: F401  (fixtures)
    EFFECTIVE, LINE, RISK, catalog, client_party, other_party, qline,
)

D = Decimal
NEEDS = {"cover_wanted": "Daños y responsabilidad civil", "priority": "price", "budget": "200.00"}


def create(actor, client, **kwargs):
    params = {"line_code": LINE, "risk": RISK, "effective_date": EFFECTIVE, "demands_and_needs": NEEDS,
              "needs_statement": "", "advice_kind": AdviceKind.OBJECTIVE_ANALYSIS}
    params.update(kwargs)
    return quote_create(actor=actor, client=client, **params)


def test_three_insurers_ranked_by_total_with_taxes_to_the_cent(catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    eligible = list(quote.options.filter(eligible=True).select_related("product__insurer").order_by("rank"))
    assert [(o.rank, o.product.insurer.name) for o in eligible] == [
        (1, "Gamma Vida"), (2, "Alfa Seguros"), (3, "Beta Mutua")]
    figures = [(o.net_premium, o.ips, o.consorcio, o.clea, o.total_premium) for o in eligible]
    assert figures == [
        (D("120.00"), D("9.60"), D("1.00"), D("0.18"), D("130.78")),
        (D("130.00"), D("10.40"), D("1.00"), D("0.20"), D("141.60")),
        (D("150.00"), D("12.00"), D("1.00"), D("0.23"), D("163.23")),
    ]
    # commission: Beta's own product agreement (15 %) beats its general one; Gamma has none
    assert [o.commission_pct for o in eligible] == [None, D("12.00"), D("15.00")]
    first = eligible[0]
    assert first.tariff_id and first.breakdown[0][0] == "Base y capital"
    assert [c["code"] for c in first.coverages] == ["damage", "liability", "legal"]
    assert first.coverages[1] == {"code": "liability", "name": "Responsabilidad civil", "kind": "included",
                                  "limit": "300000.00", "limit_text": "", "deductible": "150.00"}
    assert quote.state == QuoteState.DRAFT and quote.valid_until > quote.effective_date
    assert quote.risk_summary == "Capital 20000 €, tomador de 30 años"
    assert "Daños y responsabilidad civil" in quote.needs_statement
    assert AuditEvent.objects.filter(object_id=str(quote.pk), action="create").exists()


def test_declined_product_listed_with_its_reason(catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    declined = quote.options.get(eligible=False)
    assert declined.product == catalog["delta"] and declined.rank is None
    assert declined.decline_reason == "Edad máxima de contratación 25 años"
    assert declined.total_premium == 0
    statement = quote.objective_analysis_statement
    assert "Delta Seguros" in statement and "no tarificable" in statement


def test_objective_analysis_statement_names_comparison_criteria_and_recommendation(catalog, client_party, admin_a):
    text = create(admin_a, client_party).objective_analysis_statement
    assert "análisis objetivo" in text and "4 productos de 3 compañías" in text
    for name in ("Alfa Seguros", "Beta Mutua", "Gamma Vida"):
        assert name in text
    assert "Criterios" in text and "franquicias" in text
    assert "Opción recomendada: Gamma Vida" in text and "130,78 €" in text
    assert "cuesta 10,82 € más al año" in text  # 141,60 - 130,78


def test_objective_analysis_refused_with_two_insurers(catalog, client_party, admin_a):
    with pytest.raises(QuoteError) as error:
        create(admin_a, client_party, products=[catalog["alfa"], catalog["beta"], catalog["delta"]])
    assert "al menos 3 compañías" in error.value.message
    assert "solo se han encontrado 2 (Alfa Seguros, Beta Mutua)" in error.value.message
    assert error.value.field == "advice_kind"
    assert not Quote.objects.exists()  # nothing saved, no number taken
    quote = create(admin_a, client_party, products=[catalog["alfa"], catalog["beta"]], advice_kind=AdviceKind.LIMITED)
    assert quote.options.count() == 2 and "número limitado de entidades" in quote.objective_analysis_statement


def test_two_products_of_one_insurer_count_once(catalog, client_party, admin_a):
    second_alfa = make_product(LINE, catalog["alfa"].insurer, code="QA2", scale=D("1.1"))
    with pytest.raises(QuoteError, match="solo se han encontrado 2"):
        create(admin_a, client_party, products=[catalog["alfa"], second_alfa, catalog["beta"]])


def test_inactive_products_and_insurers_are_left_out_by_default(catalog, client_party, admin_a):
    catalog["beta"].is_active = False
    catalog["beta"].save()
    extra = make_insurer("Épsilon", is_active=False)
    make_product(LINE, extra, code="QE")
    quote = create(admin_a, client_party, advice_kind=AdviceKind.LIMITED)
    assert {o.product.insurer.name for o in quote.options.select_related("product__insurer")} == {
        "Alfa Seguros", "Gamma Vida", "Delta Seguros"}


def test_product_without_tariff_in_force_is_declined(catalog, client_party, admin_a):
    late = make_product(LINE, make_insurer("Zeta"), code="QZ", valid_from=datetime.date(2026, 6, 1))
    quote = create(admin_a, client_party)
    option = quote.options.get(product=late)
    assert not option.eligible and option.decline_reason == "El producto no tiene tarifa en vigor el 01/03/2026."


def test_invalid_risk_refused_by_field_and_nothing_saved(catalog, client_party, admin_a):
    with pytest.raises(ValidationError) as error:
        create(admin_a, client_party, risk={"capital": "10", "holder_age": 30, "use": "boat",
                                             "items": [{"name": "", "value": "1"}]})
    fields = error.value.message_dict
    assert {"capital", "use", "items-0-name"} <= set(fields)
    assert not Quote.objects.exists()


def test_nothing_eligible_is_a_clear_error(catalog, client_party, admin_a):
    with pytest.raises(QuoteError, match="Ningún producto del ramo acepta este riesgo"):
        create(admin_a, client_party, products=[catalog["delta"]], advice_kind=AdviceKind.NO_ADVICE)


def test_numbering_per_year_with_six_digits(catalog, client_party, admin_a):
    first = create(admin_a, client_party)
    second = create(admin_a, client_party)
    year = first.created_at.year
    assert first.number == f"P-{year}-000001" and second.number == f"P-{year}-000002"
    NumberCounter.objects.filter(series="P", year=year).update(last=41)
    assert create(admin_a, client_party).number == f"P-{year}-000042"


def test_rating_queries_do_not_grow_with_the_number_of_products(catalog, client_party, admin_a):
    create(admin_a, client_party)  # warm caches (content types, counters)
    with CaptureQueriesContext(connection) as few:
        create(admin_a, client_party)
    for n in range(5):
        make_product(LINE, make_insurer(f"Más {n}"), code=f"QM{n}")
    with CaptureQueriesContext(connection) as many:
        create(admin_a, client_party)
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_rerate_while_draft_only(catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    quote = quote_rerate(actor=admin_a, quote=quote, risk={**RISK, "holder_age": 22})
    best = quote.options.get(rank=1)
    assert best.net_premium == D("180.00")  # Gamma: 120 × 1,5 (age band 18-25); Delta now takes it: 195
    assert quote.options.get(product=catalog["delta"]).eligible
    assert quote.risk_summary.endswith("22 años") and quote.version == 2
    quote_send(actor=admin_a, quote=quote)
    with pytest.raises(QuoteError, match="solo se recalcula un borrador"):
        quote_rerate(actor=admin_a, quote=quote, risk=RISK)


def test_send_reject_and_transitions(catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    quote = quote_send(actor=admin_a, quote=quote)
    assert quote.state == QuoteState.SENT and quote.sent_at is not None
    with pytest.raises(QuoteError) as error:
        quote_send(actor=admin_a, quote=quote)
    assert error.value.status == 409 and "«Enviado»: no puede pasar a «Enviado»" in error.value.message
    quote = quote_reject(actor=admin_a, quote=quote, reason="Prefiere su compañía actual")
    assert quote.state == QuoteState.REJECTED and "Prefiere su compañía actual" in quote.notes
    with pytest.raises(QuoteError, match="no puede pasar a «Enviado»"):
        quote_send(actor=admin_a, quote=quote)


def test_expire_sent_quotes_past_valid_until(catalog, client_party, admin_a):
    sent = quote_send(actor=admin_a, quote=create(admin_a, client_party))
    draft = create(admin_a, client_party)
    assert quote_expire(today=sent.valid_until) == 0
    assert quote_expire(today=sent.valid_until + datetime.timedelta(days=1)) == 1
    sent.refresh_from_db()
    draft.refresh_from_db()
    assert sent.state == QuoteState.EXPIRED and draft.state == QuoteState.DRAFT


def test_equal_totals_are_ranked_by_insurer_name(catalog, client_party, admin_a):
    twin = make_product(LINE, make_insurer("Aurora Seguros"), code="QT")  # same tariff as Alfa: 141,60
    quote = create(admin_a, client_party)
    ranked = [(o.rank, o.product.insurer.name, o.total_premium)
              for o in quote.options.filter(eligible=True).select_related("product__insurer").order_by("rank")]
    assert ranked[1:3] == [(2, "Alfa Seguros", D("141.60")), (3, "Aurora Seguros", D("141.60"))]
    assert quote.options.get(product=twin).rank == 3
