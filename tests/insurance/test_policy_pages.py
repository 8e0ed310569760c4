"""Policy pages: list (filters, search, export, pinned query count, capped count), the policy page
(sections, pinned queries), compare, the two-step new policy, the endorsement page, every action,
Comercial sees only its clients' policies, the client's 360° panel, admin."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.insurance.choices import PolicyState
from apps.insurance.models import Policy
from apps.insurance.services.endorsements import policy_endorse
from apps.insurance.services.policies import policy_cancel
from tests.conftest import host_client
from tests.insurance.test_policy_support import (  # noqa: F401  (fixtures)
    LINE, RISK, START, holder, other_holder, pcatalog, place, pline,
)

date = datetime.date
LIST = "/seguros/polizas/"


@pytest.fixture
def comercial(tenants, users_a):
    return host_client(tenants.alfa_host, users_a["comercial"])


def test_list_with_filters_search_and_export(client_a, pcatalog, holder, other_holder, admin_a):
    own = place(admin_a, holder, pcatalog["alfa"], number="AL-100")
    beta = place(admin_a, other_holder, pcatalog["beta"], number="BE-200", start_date=date(2026, 6, 1))
    html = client_a.get(LIST).content.decode()
    assert "Pólizas" in html and "AL-100" in html and "BE-200" in html and "Lucía Prieto Gómez" in html
    assert "141,60 €" in html and "14/03/2027" in html

    def numbers(query):
        page = client_a.get(LIST + query)
        assert page.status_code == 200
        text = page.content.decode()
        return {n for n in ("AL-100", "BE-200") if f">{n}<" in text}

    assert numbers(f"?insurer={own.insurer_id}") == {"AL-100"}
    assert numbers(f"?product={beta.product_id}") == {"BE-200"}
    assert numbers(f"?line={LINE}&state=in_force") == {"AL-100", "BE-200"}
    assert numbers("?state=draft") == set()
    assert numbers("?expiry_month=2027-03") == {"AL-100"}
    assert numbers("?expiry_month=2027-05") == {"BE-200"}
    assert numbers("?policyholder=Sanz") == {"BE-200"}
    assert numbers("?policyholder=12345678Z") == {"AL-100"}
    assert numbers("?number=be-2") == {"BE-200"}
    assert numbers("?q=Prieto") == {"AL-100"}
    assert numbers("?o=expiry_date").issuperset({"AL-100"})
    bad = client_a.get(LIST + "?expiry_month=marzo")
    assert bad.status_code == 200 and "AAAA-MM" in bad.content.decode()
    export = client_a.get(LIST + "?export=csv&insurer=%d" % own.insurer_id)
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert export.status_code == 200 and "AL-100" in content and "BE-200" not in content
    assert client_a.get(LIST + "?export=xlsx").status_code == 200


def test_list_queries_are_pinned(client_a, pcatalog, holder, other_holder, admin_a):
    place(admin_a, holder, pcatalog["alfa"], number="Q-0")
    url = LIST + f"?line={LINE}&state=in_force&expiry_month=2027-03&o=-expiry_date"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(url).status_code == 200
    for n in range(1, 6):
        place(admin_a, other_holder if n % 2 else holder, pcatalog["beta" if n % 2 else "alfa"], number=f"Q-{n}")
    with CaptureQueriesContext(connection) as many:
        response = client_a.get(url)
    assert "Q-5" in response.content.decode()
    assert len(many) == len(few) <= 14, [q["sql"][:120] for q in many.captured_queries]


def test_count_is_capped(client_a, pcatalog, holder, admin_a, monkeypatch):
    from apps.insurance.views import policies as views

    for n in range(3):
        place(admin_a, holder, pcatalog["alfa"], number=f"C-{n}")
    monkeypatch.setattr(views, "COUNT_CAP", 2)
    html = client_a.get(LIST).content.decode()
    assert "Más de 2 registros" in html


def test_policy_page_shows_every_section_with_pinned_queries(client_a, pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 6, 1), reason="Aumento de capital",
                   risk={**RISK, "capital": "30000"})
    url = f"{LIST}{policy.pk}/"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        client_a.get(url)
    for month in (7, 8):  # more versions, state changes and audit events: same number of queries
        policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, month, 1), reason=f"Cambio {month}",
                       risk={**RISK, "capital": f"3{month}000"})
    with CaptureQueriesContext(connection) as queries:
        response = client_a.get(url)
    assert response.status_code == 200
    # 16 for the policy itself + 3 for the receipts panel (cover state, receipts, commissions) + 1 for the
    # collaboration panel's shared note + 1 for the distribution duties' evidence (LDS panel)
    assert len(queries) == len(few) <= 21, [q["sql"][:120] for q in queries.captured_queries]
    policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 9, 1), reason="Aumento de capital",
                   risk={**RISK, "capital": "30000"})
    response = client_a.get(url)
    html = response.content.decode()
    for text in ("POL-1", "Alfa Seguros", "En vigor", "15/03/2026", "14/03/2027", "158,32 €",
                 "Capital asegurado", "30000", "Edad del tomador", "Particular", "Personas aseguradas", "Lucía Prieto",
                 "Asegurados", "Responsabilidad civil", "300.000,00 €", "150,00 €", "100 % del capital",
                 "v2", "Suplemento", "Aumento de capital", "Emisión", "Historial de estados", "Actividad",
                 'id="cancel-form"', 'id="renew-form"', 'id="state-form"', 'id="endorse-link"', 'id="compare-form"'):
        assert text in html, text
    for panel in ('id="policy-receipts"', 'id="record-claims"', 'id="policy-renewal"'):  # the other apps' panels
        assert panel in html, panel


def test_compare_page_shows_before_and_after(client_a, pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 6, 1), reason="Uso profesional",
                   risk={**RISK, "use": "professional"})
    html = client_a.get(f"{LIST}{policy.pk}/comparar/?a=1&b=2").content.decode()
    assert "Uso profesional" in html and "Particular" in html and "Profesional" in html
    assert "141,60 €" in html and "169,71 €" in html
    assert "Capital asegurado" not in html  # unchanged rows hidden by default
    assert "Capital asegurado" in client_a.get(f"{LIST}{policy.pk}/comparar/?a=1&b=2&all=1").content.decode()
    assert client_a.get(f"{LIST}{policy.pk}/comparar/?a=1&b=9").status_code == 302


def test_new_policy_in_two_steps(client_a, pcatalog, holder, admin_a):
    start = client_a.get(f"{LIST}nueva/")
    assert start.status_code == 200 and 'id="policy-start-form"' in start.content.decode()
    product = pcatalog["alfa"]
    query = (f"?policyholder={holder.pk}&insurer={product.insurer_id}&product={product.pk}&number=NEW-1"
             f"&start_date=2026-03-15&term_months=12&payment_frequency=monthly&payment_method=broker_sepa")
    step2 = client_a.get(f"{LIST}nueva/riesgo/{query}")
    assert step2.status_code == 200 and "Capital asegurado" in step2.content.decode()
    data = {"risk-capital": "20000", "risk-holder_age": "30", "risk-use": "private",
            "persons-TOTAL_FORMS": "1", "persons-INITIAL_FORMS": "0", "persons-0-name": "Lucía Prieto",
            "persons-0-birth_date": "1996-05-01", "issue": "1", "save": "create"}
    bad = client_a.post(f"{LIST}nueva/riesgo/{query}", {**data, "risk-capital": "5"})
    assert bad.status_code == 400 and not Policy.objects.exists()
    response = client_a.post(f"{LIST}nueva/riesgo/{query}", data)
    policy = Policy.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{LIST}{policy.pk}/"
    assert policy.payment_frequency == "monthly" and policy.state == "in_force"
    assert policy.total_premium == Decimal("141.60")
    duplicate = client_a.post(f"{LIST}nueva/riesgo/{query}", data)
    assert duplicate.status_code == 400 and "Ya existe una póliza con el número NEW-1" in duplicate.content.decode()
    mismatch = client_a.get(f"{LIST}nueva/riesgo/" + query.replace(f"product={product.pk}",
                                                                   f"product={pcatalog['beta'].pk}"))
    assert mismatch.status_code == 400 and "no es de la compañía elegida" in mismatch.content.decode()


def test_endorse_page_prefills_and_endorses(client_a, pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    url = f"{LIST}{policy.pk}/suplemento/"
    page = client_a.get(url).content.decode()
    assert 'value="20000' in page and "Lucía Prieto" in page
    data = {"effective_date": "2026-06-01", "reason": "Más capital", "rerate": "on",
            "risk-capital": "30000", "risk-holder_age": "30", "risk-use": "private",
            "persons-TOTAL_FORMS": "1", "persons-INITIAL_FORMS": "0", "persons-0-name": "Lucía Prieto",
            "persons-0-birth_date": "1996-05-01"}
    early = client_a.post(url, {**data, "effective_date": "2026-01-01"})
    assert early.status_code == 400 and "antes del inicio" in early.content.decode()
    assert client_a.post(url, data).status_code == 302
    policy.refresh_from_db()
    assert policy.current_version.number == 2 and policy.total_premium == Decimal("158.32")


def test_actions_each_call_their_service(client_a, pcatalog, holder, admin_a):
    draft = place(admin_a, holder, pcatalog["alfa"], issue=False)
    base = f"{LIST}{draft.pk}/"
    assert client_a.post(base + "emitir/").status_code == 302
    draft.refresh_from_db()
    assert draft.state == PolicyState.IN_FORCE
    client_a.post(base + "suspender/", {"effective_date": "2026-05-01", "reason": "Impago"})
    assert Policy.objects.get(pk=draft.pk).state == PolicyState.SUSPENDED
    client_a.post(base + "reanudar/", {"effective_date": "2026-05-10"})
    assert Policy.objects.get(pk=draft.pk).state == PolicyState.IN_FORCE
    client_a.post(base + "anular/", {"effective_date": "2026-09-01", "reason": "non_payment", "notes": "x"})
    assert Policy.objects.get(pk=draft.pk).state == PolicyState.CANCELLED
    refused = client_a.post(base + "rehabilitar/", {"effective_date": "2027-06-01"}, follow=True)
    assert "Ya no se puede rehabilitar" in refused.content.decode()
    client_a.post(base + "rehabilitar/", {"effective_date": "2026-09-15"})
    assert Policy.objects.get(pk=draft.pk).state == PolicyState.IN_FORCE
    response = client_a.post(base + "renovar/", {"number": "", "rerate": "on"})
    renewal = Policy.objects.get(renewal_of=draft)
    assert response["Location"] == f"{LIST}{renewal.pk}/" and renewal.start_date == date(2027, 3, 15)
    assert Policy.objects.get(pk=draft.pk).state == PolicyState.RENEWED
    illegal = client_a.post(base + "suspender/", {"effective_date": "2026-05-01"}, follow=True)
    assert "no puede pasar a «Suspendida»" in illegal.content.decode()


def test_comercial_sees_only_its_clients_policies(comercial, pcatalog, holder, other_holder, admin_a):
    own = place(admin_a, holder, pcatalog["alfa"], number="OWN-1")  # Lucía's manager is the Comercial
    other = place(admin_a, other_holder, pcatalog["alfa"], number="OTHER-1")
    html = comercial.get(LIST).content.decode()
    assert "OWN-1" in html and "OTHER-1" not in html
    assert comercial.get(f"{LIST}{own.pk}/").status_code == 200
    assert comercial.get(f"{LIST}{other.pk}/").status_code == 404
    assert comercial.post(f"{LIST}{other.pk}/anular/", {"effective_date": "2026-09-01",
                                                        "reason": "client"}).status_code == 404
    export = b"".join(comercial.get(LIST + "?export=csv").streaming_content).decode("utf-8-sig")
    assert "OWN-1" in export and "OTHER-1" not in export


def test_roles_without_policy_permissions(tenants, users_a, pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    rrhh = host_client(tenants.alfa_host, users_a["rrhh"])
    assert rrhh.get(LIST).status_code == 403
    viewer = host_client(tenants.alfa_host, users_a["contabilidad"])
    page = viewer.get(f"{LIST}{policy.pk}/")
    assert page.status_code == 200 and 'id="cancel-form"' not in page.content.decode()
    assert viewer.post(f"{LIST}{policy.pk}/anular/", {"effective_date": "2026-09-01",
                                                      "reason": "client"}).status_code == 403


def test_party_360_page_lists_the_clients_policies(client_a, comercial, pcatalog, holder, other_holder, admin_a):
    place(admin_a, holder, pcatalog["alfa"], number="P360-1")
    cancelled = place(admin_a, holder, pcatalog["beta"], number="P360-2")
    policy_cancel(actor=admin_a, policy=cancelled, effective_date=date(2026, 4, 1), reason="client")
    page = client_a.get(f"/r/crm/party/{holder.pk}/").content.decode()
    panel_url = f"{LIST}cliente/{holder.pk}/"
    assert 'id="party-policies"' in page and f'hx-get="{panel_url}"' in page
    html = client_a.get(panel_url).content.decode()
    assert "P360-1" in html and "P360-2" in html and "Anulada" in html
    assert comercial.get(panel_url).status_code == 200
    assert comercial.get(f"{LIST}cliente/{other_holder.pk}/").status_code == 404  # not its client


def test_admin_lists_policies_and_runs_actions(client_a, pcatalog, holder, admin_a):
    draft = place(admin_a, holder, pcatalog["alfa"], issue=False)
    old = place(admin_a, holder, pcatalog["alfa"], number="OLD-1", start_date=date(2026, 1, 1), term_months=6)
    assert client_a.get("/admin/insurance/policy/").status_code == 200
    assert client_a.get(f"/admin/insurance/policy/{draft.pk}/change/").status_code == 200
    client_a.post("/admin/insurance/policy/", {"action": "issue_policies", "_selected_action": [draft.pk]})
    assert Policy.objects.get(pk=draft.pk).state == PolicyState.IN_FORCE
    client_a.post("/admin/insurance/policy/", {"action": "expire_due", "_selected_action": [old.pk]})
    assert Policy.objects.get(pk=old.pk).state == PolicyState.EXPIRED


def test_other_apps_add_sections_to_the_policy_page(client_a, pcatalog, holder, admin_a, tmp_path, settings):
    from aitcore.registry import Panel, registry

    template_dir = tmp_path / "templates"
    (template_dir / "x").mkdir(parents=True)
    (template_dir / "x" / "receipts.html").write_text(
        "<section id='receipts-panel'>{{ panel_title }}: {{ panel.n }}</section>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}]
    panel = Panel(title="Recibos", template="x/receipts.html", context=lambda policy, request: {"n": policy.number})
    registry.register_panel("insurance.policy", panel)
    try:
        policy = place(admin_a, holder, pcatalog["alfa"])
        html = client_a.get(f"{LIST}{policy.pk}/").content.decode()
    finally:
        registry.panels["insurance.policy"].remove(panel)
    assert "<section id='receipts-panel'>Recibos: POL-1</section>" in html
