"""Staff pages of the chart, fiscal years and entries: they render, they call the services and
they show the services' refusals where the user is looking."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounting.choices import EntryKind, EntryState, PeriodState
from apps.accounting.models import Account, AccountMapping, Entry, EntryLine, FiscalYear
from apps.accounting.services import LineSpec, entry_post
from tests.accounting.conftest import balance_of
from tests.conftest import host_client

D = Decimal


@pytest.fixture
def accountant(tenants, users_a):
    return host_client(tenants.alfa_host, users_a["contabilidad"])


def post_fee(actor, day, **kwargs):
    return entry_post(actor=actor, date=day, description="Honorarios", lines=[
        LineSpec("4300", debit="1210.00"), LineSpec("705", credit="1000.00"), LineSpec("477", credit="210.00")],
        **kwargs)


def form_data(rows, *, date="2026-03-15", description="Cobro de honorarios", journal="GEN", save="post", extra=None):
    data = {"date": date, "description": description, "journal": journal, "save": save,
            "lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        for name in ("account", "party", "description", "debit", "credit"):
            data[f"lines-{index}-{name}"] = row.get(name, "")
    data.update(extra or {})
    return data


# --- Chart of accounts ---------------------------------------------------------------------

def test_chart_tree_groups_accounts_by_code(accountant, tenant_a):
    response = accountant.get("/contabilidad/plan-de-cuentas/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="account-tree"' in html and "Financiación Básica" in html
    assert 'href="/contabilidad/plan-de-cuentas/572/"' in html
    assert html.index("plan-de-cuentas/570/") < html.index("plan-de-cuentas/572/") < html.index("plan-de-cuentas/600/")


def test_chart_search_by_code_or_name_and_balances(accountant, year_2026, admin_a, day):
    post_fee(admin_a, day)
    by_code = accountant.get("/contabilidad/plan-de-cuentas/", {"q": "477"}).content.decode()
    assert 'href="/contabilidad/plan-de-cuentas/477/"' in by_code and "plan-de-cuentas/572/" not in by_code
    by_name = accountant.get("/contabilidad/plan-de-cuentas/", {"q": "repercutido"}).content.decode()
    assert "plan-de-cuentas/477/" in by_name
    with_balances = accountant.get("/contabilidad/plan-de-cuentas/", {"q": "43", "saldos": "1"}).content.decode()
    assert "1.210,00" in with_balances  # 43 and 430 roll up 4300


def test_chart_tree_query_count_does_not_grow_with_party_subaccounts(accountant, admin_a):
    from apps.accounting.services import party_subaccount
    from apps.crm.services.parties import party_create

    url = "/contabilidad/plan-de-cuentas/?saldos=1"
    accountant.get(url)
    with CaptureQueriesContext(connection) as few:
        accountant.get(url)
    for i in range(5):
        party = party_create(actor=admin_a, data={"kind": "company", "company_name": f"Cliente {i} SL"})
        party_subaccount(actor=admin_a, party=party, base_code="4300")
    with CaptureQueriesContext(connection) as many:
        html = accountant.get(url).content.decode()
    assert "5 subcuentas de terceros" in html
    assert len(few) == len(many)


def test_account_detail_links_to_ledger_and_shows_balance(accountant, year_2026, admin_a, day):
    post_fee(admin_a, day)
    html = accountant.get("/contabilidad/plan-de-cuentas/4300/").content.decode()
    assert 'href="/contabilidad/mayor/?account=4300"' in html
    assert "1.210,00 €" in html
    assert "Clientes (subcuentas por tercero)" in html  # the role mapped to it


def test_add_account_below_calls_the_service_and_shows_its_errors(accountant, tenant_a):
    form = accountant.get("/contabilidad/plan-de-cuentas/nueva/?parent=572")
    assert 'value="572"' in form.content.decode()
    response = accountant.post("/contabilidad/plan-de-cuentas/nueva/", {"code": "5720001", "name": "Banco Sabadell"})
    assert response.status_code == 302 and response["Location"] == "/contabilidad/plan-de-cuentas/5720001/"
    account = Account.objects.get(code="5720001")
    assert account.parent.code == "572" and account.is_postable
    assert Account.objects.get(code="572").is_postable is False
    duplicate = accountant.post("/contabilidad/plan-de-cuentas/nueva/", {"code": "5720001", "name": "Otra"})
    assert duplicate.status_code == 400 and "Ya existe la cuenta 5720001." in duplicate.content.decode()
    bad = accountant.post("/contabilidad/plan-de-cuentas/nueva/", {"code": "57a", "name": "X"})
    assert "entre 3 y 12 dígitos" in bad.content.decode()


def test_deactivate_account_refused_while_it_has_a_balance_or_a_role(accountant, year_2026, admin_a, day):
    for code in ("5720001", "5720002"):
        accountant.post("/contabilidad/plan-de-cuentas/nueva/", {"code": code, "name": f"Banco {code}"})
    entry_post(actor=admin_a, date=day, description="Ingreso", lines=[LineSpec("5720001", debit="50"),
                                                                      LineSpec("705", credit="50")])
    confirm = accountant.get("/contabilidad/plan-de-cuentas/5720001/baja/")
    assert confirm.status_code == 200 and "Dar de baja la cuenta" in confirm.content.decode()
    response = accountant.post("/contabilidad/plan-de-cuentas/5720001/baja/", follow=True)
    assert "La cuenta 5720001 tiene saldo 50,00 €" in response.content.decode()
    assert Account.objects.get(code="5720001").is_active is True
    mapped = accountant.post("/contabilidad/plan-de-cuentas/570/baja/", follow=True)
    assert "asignada a la función «cash»" in mapped.content.decode()
    accountant.post("/contabilidad/plan-de-cuentas/5720002/baja/")
    assert Account.objects.get(code="5720002").is_active is False
    accountant.post("/contabilidad/plan-de-cuentas/5720002/baja/")
    assert Account.objects.get(code="5720002").is_active is True


def test_mapping_page_changes_the_account_of_a_role(accountant, tenant_a):
    page = accountant.get("/contabilidad/cuentas-por-funcion/").content.decode()
    assert "Comisiones de mediación (ingreso)" in page and 'name="role-bank"' in page
    accountant.post("/contabilidad/plan-de-cuentas/nueva/", {"code": "5720001", "name": "Banco Sabadell"})
    data = {f"role-{m.role}": m.account.code for m in AccountMapping.objects.select_related("account")}
    wrong = accountant.post("/contabilidad/cuentas-por-funcion/", {**data, "role-bank": "5799999"})
    assert wrong.status_code == 400 and "La cuenta 5799999 no existe." in wrong.content.decode()
    assert AccountMapping.objects.get(role="bank").account.code == "572"
    response = accountant.post("/contabilidad/cuentas-por-funcion/", {**data, "role-bank": "5720001"})
    assert response.status_code == 302
    assert AccountMapping.objects.get(role="bank").account.code == "5720001"


# --- Fiscal years and periods ----------------------------------------------------------------

def test_fiscal_years_page_lists_periods_with_state_badges(accountant, year_2026, admin_a):
    from apps.accounting.services import period_set_state

    period_set_state(actor=admin_a, period=year_2026.periods.get(number=1), state=PeriodState.CLOSED)
    html = accountant.get("/contabilidad/ejercicios/").content.decode()
    assert f'id="fiscal-year-{year_2026.pk}"' in html
    assert html.count("text-bg-warning") >= 1 and "01/2026" in html and "12/2026" in html


def test_closing_a_period_through_the_page_then_posting_into_it_is_refused(accountant, year_2026):
    march = year_2026.periods.get(number=3)
    url = f"/contabilidad/periodos/{march.pk}/closed/"
    confirm = accountant.get(url)
    assert confirm.status_code == 200 and "Periodo 03/2026" in confirm.content.decode()
    assert accountant.post(url).status_code == 302
    march.refresh_from_db()
    assert march.state == PeriodState.CLOSED
    before = Entry.objects.count()
    response = accountant.post("/contabilidad/asientos/nuevo/", form_data([
        {"account": "572", "debit": "100"}, {"account": "705", "credit": "100"}]))
    assert response.status_code == 400
    assert "El periodo 03/2026 está cerrado: no admite asientos con fecha 15/03/2026." in response.content.decode()
    assert Entry.objects.count() == before
    accountant.post(f"/contabilidad/periodos/{march.pk}/open/")
    march.refresh_from_db()
    assert march.state == PeriodState.OPEN


def test_year_with_drafts_cannot_be_closed_from_the_page(accountant, year_2026, admin_a, day):
    entry_post(actor=admin_a, date=day, description="Pendiente", draft=True,
               lines=[LineSpec("572", debit="10"), LineSpec("705", credit="10")])
    response = accountant.post(f"/contabilidad/ejercicios/{year_2026.pk}/closed/", follow=True)
    assert "tiene asientos en borrador" in response.content.decode()
    assert FiscalYear.objects.get(pk=year_2026.pk).state == "open"


def test_create_next_fiscal_year(accountant, year_2026):
    last = FiscalYear.objects.order_by("-end_date").first()
    form = accountant.get("/contabilidad/ejercicios/nuevo/").content.decode()
    following = last.end_date + datetime.timedelta(days=1)
    assert f'value="{following:%Y-%m-%d}"' in form
    response = accountant.post("/contabilidad/ejercicios/nuevo/", {
        "name": str(following.year), "start_date": following.isoformat(),
        "end_date": following.replace(month=12, day=31).isoformat()})
    assert response.status_code == 302
    year = FiscalYear.objects.get(name=str(following.year))
    assert year.periods.count() == 12
    overlap = accountant.post("/contabilidad/ejercicios/nuevo/", {
        "name": "Solapado", "start_date": following.isoformat(), "end_date": following.replace(month=6, day=30)})
    assert overlap.status_code == 400 and "Se solapa con el ejercicio" in overlap.content.decode()


# --- Entries -----------------------------------------------------------------------------------

def test_entry_form_posts_the_entry_with_the_next_number(accountant, year_2026, admin_a, day):
    first = post_fee(admin_a, day)
    page = accountant.get("/contabilidad/asientos/nuevo/")
    assert page.status_code == 200 and 'src="/static/accounting/entry-form.js"' in page.content.decode()
    response = accountant.post("/contabilidad/asientos/nuevo/", form_data([
        {"account": "572", "debit": "1.210,00", "description": "Transferencia"},
        {"account": "4300", "credit": "1210"}, {}]))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.latest("pk")
    assert response["Location"] == f"/contabilidad/asientos/{entry.pk}/"
    assert entry.state == EntryState.POSTED and entry.number == first.number + 1
    assert list(entry.lines.values_list("account__code", "debit", "credit", "description")) == [
        ("572", D("1210.00"), D("0.00"), "Transferencia"), ("4300", D("0.00"), D("1210.00"), "")]
    assert balance_of("4300") == D("0.00")


def test_entry_form_with_a_party_by_tax_id(accountant, year_2026, admin_a):
    from apps.crm.services.parties import party_create

    party = party_create(actor=admin_a, data={"kind": "company", "company_name": "Seguros Norte SL",
                                              "tax_id": "B12345674"})
    accountant.post("/contabilidad/asientos/nuevo/", form_data([
        {"account": "4300", "debit": "100", "party": "b-12345674"}, {"account": "705", "credit": "100"}]))
    line = EntryLine.objects.get(entry=Entry.objects.latest("pk"), account__code="4300")
    assert line.party == party
    unknown = accountant.post("/contabilidad/asientos/nuevo/", form_data([
        {"account": "4300", "debit": "100", "party": "X9999999Z"}, {"account": "705", "credit": "100"}]))
    assert "No hay ningún tercero con NIF o número «X9999999Z»." in unknown.content.decode()


def test_unbalanced_form_shows_the_difference_and_saves_nothing(accountant, year_2026):
    before = (Entry.objects.count(), EntryLine.objects.count(), FiscalYear.objects.get(pk=year_2026.pk).last_entry_number)
    response = accountant.post("/contabilidad/asientos/nuevo/", form_data([
        {"account": "572", "debit": "100,01"}, {"account": "705", "credit": "100"}]))
    html = response.content.decode()
    assert response.status_code == 400
    assert "no cuadra" in html and "diferencia 0,01 €" in html
    assert 'id="total-difference"' in html and "0,01" in html
    assert 'value="100,01"' in html  # what the user typed is kept
    after = (Entry.objects.count(), EntryLine.objects.count(), FiscalYear.objects.get(pk=year_2026.pk).last_entry_number)
    assert after == before


def test_line_errors_are_shown_on_their_row(accountant, year_2026):
    response = accountant.post("/contabilidad/asientos/nuevo/", form_data([
        {"account": "572", "debit": "10"}, {"account": "9999", "credit": "5"}, {"account": "57", "credit": "5"},
        {"description": "sin cuenta", "debit": "abc"}]))
    html = response.content.decode()
    assert "La cuenta 9999 no existe." in html
    assert "«abc» no es un importe." in html
    not_postable = accountant.post("/contabilidad/asientos/nuevo/", form_data([
        {"account": "572", "debit": "10"}, {"account": "57", "credit": "10"}])).content.decode()
    assert "Línea 2: la cuenta 57 tiene subcuentas" in not_postable
    assert not Entry.objects.filter(description="Cobro de honorarios").exists()


def test_add_rows_button_works_without_javascript(accountant, year_2026):
    response = accountant.post("/contabilidad/asientos/nuevo/", form_data(
        [{"account": "572", "debit": "10"}, {"account": "705"}], extra={"add_rows": "1"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="lines-4-account"' in html and 'value="572"' in html
    assert "invalid-feedback" not in html and not Entry.objects.exists()


def test_draft_is_saved_then_posted_and_a_draft_can_be_deleted(accountant, year_2026, admin_a, day):
    response = accountant.post("/contabilidad/asientos/nuevo/", form_data(
        [{"account": "572", "debit": "10"}, {"account": "705", "credit": "10"}], save="draft"))
    draft = Entry.objects.latest("pk")
    assert draft.state == EntryState.DRAFT and draft.number is None
    detail = accountant.get(response["Location"]).content.decode()
    assert "Contabilizar" in detail and "Borrar borrador" in detail and "Anular" not in detail
    edit = accountant.post(f"/contabilidad/asientos/{draft.pk}/editar/", form_data(
        [{"account": "572", "debit": "20"}, {"account": "705", "credit": "20"}], save="draft"))
    assert edit.status_code == 302
    draft.refresh_from_db()
    assert draft.total == D("20.00") and draft.state == EntryState.DRAFT
    assert accountant.get(f"/contabilidad/asientos/{draft.pk}/contabilizar/").status_code == 200
    accountant.post(f"/contabilidad/asientos/{draft.pk}/contabilizar/")
    draft.refresh_from_db()
    assert draft.state == EntryState.POSTED and draft.number
    other = entry_post(actor=admin_a, date=day, description="Borrador", draft=True,
                       lines=[LineSpec("572", debit="1"), LineSpec("705", credit="1")])
    assert accountant.get(f"/contabilidad/asientos/{other.pk}/borrar/").status_code == 200
    assert accountant.post(f"/contabilidad/asientos/{other.pk}/borrar/").status_code == 302
    assert not Entry.objects.filter(pk=other.pk).exists()


def test_reverse_button_posts_the_mirror_entry(accountant, year_2026, admin_a, day):
    entry = post_fee(admin_a, day)
    detail = accountant.get(f"/contabilidad/asientos/{entry.pk}/").content.decode()
    assert f'href="/contabilidad/asientos/{entry.pk}/anular/"' in detail and "1.210,00" in detail
    confirm = accountant.get(f"/contabilidad/asientos/{entry.pk}/anular/")
    assert confirm.status_code == 200 and 'name="date"' in confirm.content.decode()
    response = accountant.post(f"/contabilidad/asientos/{entry.pk}/anular/", {"date": "2026-03-20"})
    mirror = Entry.objects.get(reversal_of=entry)
    assert response["Location"] == f"/contabilidad/asientos/{mirror.pk}/"
    assert mirror.kind == EntryKind.REVERSAL and mirror.number == entry.number + 1
    assert balance_of("4300") == balance_of("705") == D("0.00")
    original = accountant.get(f"/contabilidad/asientos/{entry.pk}/").content.decode()
    assert 'id="reversed-by"' in original and "/anular/" not in original
    assert 'id="reversal-of"' in accountant.get(response["Location"]).content.decode()
    again = accountant.post(f"/contabilidad/asientos/{entry.pk}/anular/", {"date": "2026-03-20"})
    assert "ya está anulado" in again.content.decode()


def test_posted_entry_cannot_be_deleted_from_the_page(accountant, year_2026, admin_a, day):
    entry = post_fee(admin_a, day)
    assert "Borrar borrador" not in accountant.get(f"/contabilidad/asientos/{entry.pk}/").content.decode()
    response = accountant.post(f"/contabilidad/asientos/{entry.pk}/borrar/", follow=True)
    assert "está contabilizado: no se modifica ni se borra" in response.content.decode()
    assert Entry.objects.filter(pk=entry.pk).exists()
    edit = accountant.get(f"/contabilidad/asientos/{entry.pk}/editar/", follow=True)
    assert "no se modifica, se anula" in edit.content.decode()


def test_entry_list_filters_search_and_export(accountant, year_2026, admin_a, day):
    post_fee(admin_a, day)
    entry_post(actor=admin_a, date=datetime.date(2026, 4, 2), description="Alquiler oficina", journal="COM",
               lines=[LineSpec("621", debit="800"), LineSpec("572", credit="800")])
    base = "/contabilidad/asientos/"

    def descriptions(params):
        html = accountant.get(base, params).content.decode()
        return ("Honorarios" in html, "Alquiler oficina" in html)

    assert descriptions({}) == (True, True)
    assert descriptions({"journal": "COM"}) == (False, True)
    assert descriptions({"account": "62"}) == (False, True)
    assert descriptions({"account": "4300"}) == (True, False)
    assert descriptions({"amount": "1.210,00"}) == (True, False)
    assert descriptions({"amount": "210"}) == (True, False)  # a line amount
    assert descriptions({"date_from": "2026-04-01", "date_to": "2026-04-30"}) == (False, True)
    assert descriptions({"q": "alquiler"}) == (False, True)
    assert descriptions({"state": "draft"}) == (False, False)
    assert descriptions({"kind": "normal", "fiscal_year": year_2026.pk}) == (True, True)
    csv = accountant.get(base, {"journal": "COM", "export": "csv"})
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "Alquiler oficina" in body and "800,00" in body and "Honorarios" not in body
    xlsx = accountant.get(base, {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_entry_list_query_count_is_pinned(accountant, year_2026, admin_a, day):
    url = "/contabilidad/asientos/?account=4&q=Honorarios"
    post_fee(admin_a, day)
    accountant.get(url)
    with CaptureQueriesContext(connection) as few:
        accountant.get(url)
    for _i in range(20):
        post_fee(admin_a, day)
    with CaptureQueriesContext(connection) as many:
        response = accountant.get(url)
    assert response.status_code == 200 and "21 registros" in response.content.decode()
    assert len(few) == len(many) == 12, [q["sql"][:90] for q in many.captured_queries]


def test_journals_generic_pages(accountant, tenant_a):
    response = accountant.get("/r/accounting/journal/")
    assert response.status_code == 200 and "Diario general" in response.content.decode()
