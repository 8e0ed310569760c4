"""Quote pages: list (filters, own clients for a Comercial, pinned queries), the two-step new
quote with the line's risk form and rows, the comparison (pinned queries), print, PDF, actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.insurance.choices import AdviceKind, QuoteState
from apps.insurance.models import Quote
from apps.insurance.services.quotes import quote_create
from tests.conftest import host_client
from tests.insurance.test_quote_support import (  # noqa: F401  (fixtures)
    EFFECTIVE, LINE, RISK, catalog, client_party, other_party, qline,
)

NEEDS = {"cover_wanted": "Daños", "priority": "price"}


def create(actor, client, **kwargs):
    return quote_create(actor=actor, client=client, line_code=LINE, risk=RISK, effective_date=EFFECTIVE,
                        demands_and_needs=NEEDS, needs_statement="", advice_kind=AdviceKind.OBJECTIVE_ANALYSIS,
                        **kwargs)


def step2_post(party, **overrides):
    data = {
        "risk-capital": "20000", "risk-holder_age": "30", "risk-use": "private",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-0-name": "Bicicleta", "items-0-value": "900",
        "needs-cover_wanted": "Daños y RC", "needs-priority": "price", "needs-budget": "200",
        "advice_kind": "objective", "save": "rate",
    }
    data.update(overrides)
    return data


def step2_url(party):
    return f"/seguros/proyectos/nuevo/riesgo/?client={party.pk}&line={LINE}&effective_date=2026-03-01"


@pytest.fixture
def comercial(tenants, users_a):
    return host_client(tenants.alfa_host, users_a["comercial"])


def test_menu_and_list_with_filters(client_a, catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    html = client_a.get("/seguros/proyectos/").content.decode()
    assert "Proyectos" in html and quote.number in html and "Lucía Prieto Gómez" in html
    assert quote.number in client_a.get(f"/seguros/proyectos/?state=draft&line={LINE}&q=Prieto").content.decode()
    assert quote.number not in client_a.get("/seguros/proyectos/?state=sent").content.decode()
    export = client_a.get("/seguros/proyectos/?export=csv")
    assert export.status_code == 200 and quote.number in b"".join(export.streaming_content).decode("utf-8-sig")


def test_list_queries_are_pinned(client_a, catalog, client_party, other_party, admin_a):
    create(admin_a, client_party)
    url = f"/seguros/proyectos/?state=draft&line={LINE}"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(url).status_code == 200
    for _n in range(4):
        create(admin_a, other_party)
    with CaptureQueriesContext(connection) as many:
        client_a.get(url)
    assert len(many) == len(few) <= 16, [q["sql"][:100] for q in many.captured_queries]


def test_comercial_sees_only_its_clients_quotes(comercial, catalog, client_party, other_party, admin_a):
    own = create(admin_a, client_party)  # Lucía's account manager is the Comercial
    other = create(admin_a, other_party)
    html = comercial.get("/seguros/proyectos/").content.decode()
    assert own.number in html and other.number not in html
    assert comercial.get(f"/seguros/proyectos/{own.pk}/").status_code == 200
    assert comercial.get(f"/seguros/proyectos/{other.pk}/").status_code == 404
    assert comercial.get(f"/seguros/proyectos/{other.pk}/pdf/").status_code == 404


def test_roles_without_insurance_cannot_open_quotes(tenants, users_a, catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    hr = host_client(tenants.alfa_host, users_a["rrhh"])
    for url in ("/seguros/proyectos/", f"/seguros/proyectos/{quote.pk}/", "/seguros/proyectos/nuevo/"):
        assert hr.get(url).status_code == 403, url
    accountant = host_client(tenants.alfa_host, users_a["contabilidad"])
    assert accountant.get(f"/seguros/proyectos/{quote.pk}/").status_code == 200
    assert accountant.get("/seguros/proyectos/nuevo/").status_code == 403
    assert accountant.post(f"/seguros/proyectos/{quote.pk}/enviar/").status_code == 403


def test_step_one_lists_registered_lines_and_searches_clients(client_a, qline, client_party):
    html = client_a.get("/seguros/proyectos/nuevo/").content.decode()
    assert f'value="{LINE}"' in html and "Ramo de prueba" in html and 'id="client-search"' in html
    options = client_a.get("/seguros/proyectos/clientes/?q=Prieto").content.decode()
    assert f'value="{client_party.pk}"' in options


def test_step_two_renders_the_line_form_rows_and_questionnaire(client_a, qline, client_party):
    response = client_a.get(step2_url(client_party))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ('name="risk-capital"', "Capital asegurado", "Valor de lo asegurado en euros.", 'name="risk-use"',
                 'name="items-TOTAL_FORMS"', 'name="items-0-name"', 'id="items-template"', "Añadir fila",
                 "Objetos", 'name="needs-cover_wanted"', 'name="needs-budget"', 'name="advice_kind"'):
        assert text in html, text
    assert client_a.get(f"/seguros/proyectos/nuevo/riesgo/?line={LINE}").status_code == 400  # no client


def test_step_two_add_row_without_javascript(client_a, qline, client_party):
    response = client_a.post(step2_url(client_party), step2_post(client_party, add_row="items"))
    html = response.content.decode()
    assert response.status_code == 200 and 'name="items-1-name"' in html and 'value="Bicicleta"' in html
    assert not Quote.objects.exists()


def test_step_two_creates_the_quote_and_opens_the_comparison(client_a, catalog, client_party):
    response = client_a.post(step2_url(client_party), step2_post(client_party))
    quote = Quote.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/seguros/proyectos/{quote.pk}/"
    assert quote.risk_data["items"] == [{"name": "Bicicleta", "value": "900"}]
    assert quote.demands_and_needs == {"cover_wanted": "Daños y RC", "priority": "price", "budget": "200"}
    assert "¿Qué desea asegurar y frente a qué riesgos?: Daños y RC" in quote.needs_statement
    assert "¿Qué es lo más importante para usted?: El precio" in quote.needs_statement
    assert "Presupuesto anual aproximado (€): 200,00 €" in quote.needs_statement


def test_step_two_errors_on_the_fields_and_objective_refusal(client_a, catalog, client_party):
    bad = client_a.post(step2_url(client_party), step2_post(client_party, **{"risk-capital": "10",
                                                                              "items-0-name": ""}))
    html = bad.content.decode()
    assert bad.status_code == 400 and "invalid-feedback" in html and "1000" in html
    catalog["gamma"].is_active = False
    catalog["gamma"].save()
    refused = client_a.post(step2_url(client_party), step2_post(client_party))
    assert refused.status_code == 400 and "solo se han encontrado 2" in refused.content.decode()
    assert not Quote.objects.exists()


def test_comparison_page_shows_options_coverages_declined_and_statements(client_a, catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    url = f"/seguros/proyectos/{quote.pk}/"
    client_a.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client_a.get(url)
    assert response.status_code == 200
    assert len(queries) <= 15, [q["sql"][:100] for q in queries.captured_queries]  # 1: the collaboration panel's note
    html = response.content.decode()
    assert html.index("Gamma Vida") < html.index("Alfa Seguros") < html.index("Beta Mutua")
    for text in ("130,78 €", "141,60 €", "163,23 €", "9,60 €", "0,18 €", "Recomendada", "Responsabilidad civil",
                 "300.000,00 €", "franq. 150,00 €", "Opcional", "100 % del capital",
                 "Edad máxima de contratación 25 años", "Exigencias y necesidades del cliente",
                 "Opción recomendada: Gamma Vida", 'id="accept-form"', 'id="send-button"'):
        assert text in html, text


def test_comparison_query_count_does_not_grow_with_options(client_a, catalog, client_party, admin_a):
    from tests.fixtures.insurance import make_insurer, make_product

    small = create(admin_a, client_party)
    client_a.get(f"/seguros/proyectos/{small.pk}/")
    with CaptureQueriesContext(connection) as few:
        client_a.get(f"/seguros/proyectos/{small.pk}/")
    for n in range(4):
        make_product(LINE, make_insurer(f"Otra {n}"), code=f"QO{n}")
    big = create(admin_a, client_party)
    client_a.get(f"/seguros/proyectos/{big.pk}/")
    with CaptureQueriesContext(connection) as many:
        client_a.get(f"/seguros/proyectos/{big.pk}/")
    assert len(many) == len(few)


def test_print_page_and_pdf(client_a, catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    html = client_a.get(f"/seguros/proyectos/{quote.pk}/imprimir/").content.decode()
    assert "quotes.css" in html and "data-print" in html and "130,78 €" in html and "análisis objetivo" in html
    pdf = client_a.get(f"/seguros/proyectos/{quote.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert f"proyecto-{quote.number}.pdf" in pdf["Content-Disposition"]


def test_send_and_reject_buttons(client_a, catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    assert client_a.post(f"/seguros/proyectos/{quote.pk}/enviar/").status_code == 302
    quote.refresh_from_db()
    assert quote.state == QuoteState.SENT
    again = client_a.post(f"/seguros/proyectos/{quote.pk}/enviar/", follow=True)
    assert "no puede pasar a «Enviado»" in again.content.decode()
    client_a.post(f"/seguros/proyectos/{quote.pk}/rechazar/", {"reason": "Caro"})
    quote.refresh_from_db()
    assert quote.state == QuoteState.REJECTED and "Caro" in quote.notes


def test_rerate_page_prefills_and_recalculates(client_a, catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    html = client_a.get(f"/seguros/proyectos/{quote.pk}/recalcular/").content.decode()
    assert 'value="20000"' in html and 'value="Bicicleta"' in html
    data = step2_post(client_party, **{"risk-holder_age": "22"})
    response = client_a.post(f"/seguros/proyectos/{quote.pk}/recalcular/", data)
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.risk_data["holder_age"] == 22 and quote.options.get(rank=1).net_premium == 180


def test_accept_page_offers_the_eligible_options_and_checks_the_form(client_a, catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    html = client_a.get(f"/seguros/proyectos/{quote.pk}/aceptar/").content.decode()
    assert "1. Gamma Vida" in html and "3. Beta Mutua" in html and "Delta Seguros" not in html
    assert 'name="policy_number"' in html and 'value="2026-03-01"' in html
    response = client_a.post(f"/seguros/proyectos/{quote.pk}/aceptar/", {
        "option": quote.options.get(rank=1).pk, "policy_number": "", "start_date": "2026-03-01",
        "payment_frequency": "annual", "payment_method": "insurer"})
    assert response.status_code == 400 and "invalid-feedback" in response.content.decode()
    quote.refresh_from_db()
    assert quote.state == QuoteState.DRAFT


def test_accept_page_creates_the_policy(client_a, catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    option = quote.options.get(rank=2)
    response = client_a.post(f"/seguros/proyectos/{quote.pk}/aceptar/", {
        "option": option.pk, "policy_number": "AS-778899", "start_date": "2026-03-01",
        "payment_frequency": "quarterly", "payment_method": "broker_sepa"})
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.state == QuoteState.ACCEPTED and quote.accepted_option == option
    policy = quote.policies.get()
    assert policy.number == "AS-778899" and policy.insurer.name == "Alfa Seguros"
    assert policy.payment_frequency == "quarterly"


def test_step_two_renders_every_registered_line(client_a, qline, client_party):
    """The risk page is generic: whatever lines are registered (the real line apps too) render
    their fields and rows from the registry."""
    from apps.insurance.lines import registered_lines
    from apps.insurance.services.lines import lines_sync

    lines_sync()
    for spec in registered_lines():
        url = f"/seguros/proyectos/nuevo/riesgo/?client={client_party.pk}&line={spec.code}&effective_date=2026-03-01"
        response = client_a.get(url)
        assert response.status_code == 200, spec.code
        html = response.content.decode()
        first = next(iter(spec.risk_form().fields))
        assert f'name="risk-{first}"' in html, spec.code
        for name in spec.row_forms:
            assert f'name="{name}-TOTAL_FORMS"' in html, (spec.code, name)
