"""Live records across the domains (issue 9): a change made through a service reaches, on /ws/records/,
the record's page and the pages that show it; a reader who may not open a record may not follow it;
an edit form never silently overwrites someone else's change (409 with the comparison, nothing saved).

The sockets run through aitcore.asgi's application (tenant by Host, user by JWT) with channels'
WebsocketCommunicator, on the real Redis layer when REDIS_URL is set. The test body is synchronous and
drives the sockets with async_to_sync, so the consumer's permission check runs on this thread, inside
the test's rolled back transaction (as tests/crm/test_live_360.py does).
"""
import copy
import datetime
import os
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from rest_framework_simplejwt.tokens import AccessToken

from apps.claims.models import Claim
from apps.claims.services.claims import claim_transition, claim_update
from apps.collaboration.services.comments import comment_add
from apps.collections.selectors_receipts import receipts_for_policy
from apps.collections.services.receipts import receipt_collect
from apps.hr.realtime import keys_of_event as hr_keys
from apps.hr.services.employees import employee_update
from apps.insurance.services.endorsements import policy_endorse
from apps.treasury.realtime import keys_of_event as treasury_keys
from tests.claims.test_claim_support import (  # noqa: F401  (fixtures)
    RISK, holder, open_claim, other_holder, other_policy, pcatalog, pline, policy,
)
from tests.collections.conftest import coll_books  # noqa: F401  (fixture: the fiscal years receipts post to)
from tests.conftest import host_client
from tests.hr.conftest import hr_centre, hr_department, hr_people  # noqa: F401  (fixtures)

PATH = "/ws/records/"
STALE = "Otra persona ha modificado este registro mientras lo editaba"


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    # database_sync_to_async closes "old" connections around each call; the test's connection is
    # inside its transaction (autocommit off), which that check would drop.
    monkeypatch.setattr("channels.db.close_old_connections", lambda **kwargs: None)


@pytest.fixture(autouse=True)
def _own_channel_prefix(settings):
    """Other test runs share the machine's Redis, the schema names and the pks: a prefix of this run's own."""
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    if "prefix" in layers["default"].get("CONFIG", {}):
        layers["default"]["CONFIG"]["prefix"] = f"aitcore-{os.environ.get('AITCORE_TEST_DB', 'test')}-{os.getpid()}"
        settings.CHANNEL_LAYERS = layers  # channels resets its layers on setting_changed


def _socket(user, *keys, host: str = "alfa.test") -> WebsocketCommunicator:
    from aitcore.asgi import application

    token = AccessToken.for_user(user)
    token["tenant"] = "alfa"
    query = "&".join(f"key={key}" for key in keys)
    return WebsocketCommunicator(application, f"{PATH}?{query}&token={token}", headers=[(b"host", host.encode())])


def _in_alfa(change, capture):
    def run():
        with schema_context("alfa"), capture(execute=True):
            change()
    return sync_to_async(run)


async def _changed(ws) -> set[str]:
    """The keys of the record.changed messages received until the socket goes quiet (at least one)."""
    keys = set()
    while not keys or not await ws.receive_nothing(timeout=0.5):
        message = await ws.receive_json_from(timeout=3)
        assert message["type"] == "record.changed", message
        keys.add(message["key"])
    return keys


def _follow_while(user, keys, change, capture) -> set[str]:
    """Opens a socket following `keys`, runs `change` (committed) and returns the keys it was told about."""
    async def scenario():
        ws = _socket(user, *keys)
        connected, code = await ws.connect()
        assert connected, code
        assert await ws.receive_json_from() == {"type": "subscribed", "keys": list(keys)}
        await _in_alfa(change, capture)()
        told = await _changed(ws)
        await ws.disconnect()
        return told

    return async_to_sync(scenario)()


# --- A change through a service reaches the record's page and the pages that show it -------------

def test_a_collected_receipt_reaches_its_page_and_its_policys(policy, coll_books, admin_a,
                                                               django_capture_on_commit_callbacks):
    receipt = receipts_for_policy(policy).first()
    mine, its_policy = f"collections.receipt.{receipt.pk}", f"insurance.policy.{policy.pk}"
    told = _follow_while(admin_a, [mine, its_policy], lambda: receipt_collect(
        actor=admin_a, receipt=receipt, date=datetime.date(2026, 3, 20), channel="transfer"),
        django_capture_on_commit_callbacks)
    assert told == {mine, its_policy}


def test_a_claim_state_change_reaches_the_claims_page(policy, admin_a, django_capture_on_commit_callbacks):
    claim = open_claim(admin_a, policy)
    key = f"claims.claim.{claim.pk}"
    told = _follow_while(admin_a, [key, f"insurance.policy.{policy.pk}"],
                         lambda: claim_transition(actor=admin_a, claim=claim, to_state="in_review"),
                         django_capture_on_commit_callbacks)
    assert told == {key, f"insurance.policy.{policy.pk}"}  # the policy's page lists its claims


def test_an_endorsement_reaches_the_policys_page(policy, other_policy, admin_a, django_capture_on_commit_callbacks):
    key, other = f"insurance.policy.{policy.pk}", f"insurance.policy.{other_policy.pk}"
    told = _follow_while(admin_a, [key, other], lambda: policy_endorse(
        actor=admin_a, policy=policy, effective_date=datetime.date(2026, 6, 1), reason="Aumento de capital",
        risk={**RISK, "capital": "30000"}), django_capture_on_commit_callbacks)
    assert told == {key}  # another policy's page hears nothing


def test_who_may_not_open_a_policy_may_not_follow_it(users_a, policy, other_policy, admin_a):
    comercial = users_a["comercial"]  # manages Lucía (policy), not Mario (other_policy)
    claim = open_claim(admin_a, other_policy)

    async def scenario():
        for key in (f"insurance.policy.{other_policy.pk}", f"claims.claim.{claim.pk}", "insurance.policy.999999",
                    "hr.employee.1;drop"):
            assert await _socket(comercial, key).connect() == (False, 4403), key
        # A list may follow its rows, but never a row its reader cannot open.
        mixed = _socket(comercial, f"insurance.policy.{policy.pk}", f"insurance.policy.{other_policy.pk}")
        assert await mixed.connect() == (False, 4403)
        ws = _socket(comercial, f"insurance.policy.{policy.pk}")
        assert (await ws.connect())[0]
        await ws.disconnect()
        # Whoever may open the page may follow it; the other brokerage's host knows no such user.
        assert (await _socket(admin_a, f"insurance.policy.{other_policy.pk}").connect())[0]
        assert (await _socket(admin_a, f"insurance.policy.{other_policy.pk}", host="beta.test").connect())[0] is False

    async_to_sync(scenario)()


def test_events_map_to_the_pages_that_show_them(hr_people):
    ana = hr_people["ana"]
    assert hr_keys("hr.leave.requested", {"pk": 3, "employee": ana.pk, "schema": "alfa"}) == {f"hr.employee.{ana.pk}"}
    assert hr_keys("hr.employee.updated", {"pk": ana.pk, "schema": "alfa"}) == {f"hr.employee.{ana.pk}"}
    assert hr_keys("hr.employee.created", {"pk": ana.pk, "schema": "alfa"}) == set()  # nobody follows it yet
    assert hr_keys("crm.party.updated", {"pk": ana.pk, "schema": "alfa"}) == set()
    assert treasury_keys("treasury.remittance_item.returned", {"pk": 9, "remittance": 4, "schema": "alfa"}) == {
        "treasury.remittance.4"}
    assert treasury_keys("treasury.mandate.revoked", {"pk": 9, "party": 5, "schema": "alfa"}) == {"crm.party.5"}


# --- Pages ----------------------------------------------------------------------------------------

def test_detail_pages_follow_their_record_and_carry_the_collaboration_panel(client_a, policy, coll_books, admin_a,
                                                                            hr_people, tenants, users_a):
    receipt = receipts_for_policy(policy).first()
    claim = open_claim(admin_a, policy)
    rrhh = host_client(tenants.alfa_host, users_a["rrhh"])
    pages = [(client_a, f"/seguros/polizas/{policy.pk}/", f"insurance.policy.{policy.pk}"),
             (client_a, f"/recibos/{receipt.pk}/", f"collections.receipt.{receipt.pk}"),
             (client_a, f"/siniestros/{claim.pk}/", f"claims.claim.{claim.pk}"),
             (rrhh, f"/rrhh/empleados/{hr_people['ana'].pk}/", f"hr.employee.{hr_people['ana'].pk}"),
             (client_a, f"/r/crm/party/{policy.policyholder_id}/", f"crm.party.{policy.policyholder_id}")]
    for client, url, key in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert f'data-live-record="{key}"' in page and "/static/core/live-record.js" in page, url
        assert f'data-record-key="{key}"' in page and 'data-live-keep' in page, url  # the panel, kept on refresh
        assert 'id="live-record-status"' in page and "<script>" not in page, url


def test_list_pages_follow_the_rows_they_show(client_a, policy, coll_books, admin_a):
    claim = open_claim(admin_a, policy)
    receipts = list(receipts_for_policy(policy))
    for url, keys, also in [
        ("/seguros/polizas/", [f"insurance.policy.{policy.pk}"], None),
        ("/recibos/", [f"collections.receipt.{r.pk}" for r in receipts], "receipt-totals"),
        ("/siniestros/lista/", [f"claims.claim.{claim.pk}"], "claim-totals"),
    ]:
        page = client_a.get(url).content.decode()
        assert f'id="record-rows" data-live-records="{" ".join(keys)}"' in page, url
        assert "/static/core/live-record.js" in page, url
        if also:
            assert f'data-live-also="{also}"' in page and f'id="{also}"' in page, url


def test_claim_page_with_the_panel_keeps_its_pinned_queries(client_a, policy, admin_a):
    claim = open_claim(admin_a, policy)
    url = f"/siniestros/{claim.pk}/"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(url).status_code == 200
    claim_transition(actor=admin_a, claim=claim, to_state="in_review")
    for n in range(3):  # more history and comments: the same queries (the thread loads by htmx)
        claim_update(actor=admin_a, claim=claim, data={"location": f"Cocina {n}"})
        comment_add(actor=admin_a, key=f"claims.claim.{claim.pk}", body=f"Llamar al perito ({n})")
    with CaptureQueriesContext(connection) as queries:
        page = client_a.get(url).content.decode()
    assert 'id="collab-panel"' in page
    # 18 for the claim page + 3 for the panel (who may follow the claim, checked by the panel and by its
    # shared note; the note). Presence and comments cost nothing here: they load over /ws/collab/ and htmx.
    assert len(queries) == len(few) <= 21, [q["sql"][:100] for q in queries.captured_queries]


# --- Edit forms never silently overwrite ----------------------------------------------------------

def test_a_stale_claim_edit_answers_the_comparison_and_saves_nothing(client_a, policy, admin_a, users_a):
    claim = open_claim(admin_a, policy, location="Cocina")
    url = f"/siniestros/{claim.pk}/modificar/"
    form = client_a.get(url).content.decode()
    loaded = Claim.objects.get(pk=claim.pk).version
    assert f'name="version" value="{loaded}"' in form and f'data-live-form-key="claims.claim.{claim.pk}"' in form
    assert "Este registro ha cambiado; revise los cambios antes de guardar" in form
    # Meanwhile someone else saves the claim.
    claim_update(actor=users_a["siniestros"], claim=claim, data={"location": "Salón", "adjuster_name": "Luis Perito"})
    mine = {"description": "Fuga de agua en la cocina", "location": "Baño", "adjuster_name": "", "version": loaded}
    response = client_a.post(url, mine)
    page = response.content.decode()
    assert response.status_code == 409 and STALE in page
    assert "Su valor" in page and "Valor actual" in page
    assert "<td>Baño</td><td>Salón</td>" in page.replace("\n", "") and "<td>—</td><td>Luis Perito</td>" in page
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.location, saved.adjuster_name, saved.version) == ("Salón", "Luis Perito", loaded + 1)
    # The form now carries the current version: saving again re-applies the user's values knowingly.
    assert f'name="version" value="{loaded + 1}"' in page and 'value="Baño"' in page
    assert client_a.post(url, {**mine, "version": loaded + 1}).status_code == 302
    assert Claim.objects.get(pk=claim.pk).location == "Baño"


def test_compare_without_a_stale_version_shows_the_differences_and_saves_nothing(client_a, policy, admin_a):
    claim = open_claim(admin_a, policy, location="Cocina")
    url = f"/siniestros/{claim.pk}/modificar/"
    response = client_a.post(url, {"description": claim.description, "location": "Terraza",
                                   "version": claim.version, "_compare": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "no se ha guardado nada" in page and STALE not in page
    assert "<td>Terraza</td><td>Cocina</td>" in page.replace("\n", "")
    assert Claim.objects.get(pk=claim.pk).location == "Cocina"


def test_a_stale_employee_edit_and_a_stale_endorsement_are_refused(tenants, users_a, hr_people, client_a, policy,
                                                                    admin_a):
    from apps.hr.forms_employees import EmployeeForm

    ana = hr_people["ana"]
    rrhh = host_client(tenants.alfa_host, users_a["rrhh"])
    data = {name: value for name, value in EmployeeForm(instance=ana).initial.items() if value is not None}
    data.update(position="Jefa de equipo", version=ana.version)
    employee_update(actor=users_a["rrhh"], employee=ana, phone="600111222")
    response = rrhh.post(f"/rrhh/empleados/{ana.pk}/editar/", {k: ("on" if v is True else v) for k, v in data.items()
                                                              if v is not False})
    page = response.content.decode()
    assert response.status_code == 409 and STALE in page and "Jefa de equipo" in page
    ana.refresh_from_db()
    assert (ana.position, ana.phone) == ("Técnica de seguros", "600111222")

    loaded = policy.version
    policy_endorse(actor=admin_a, policy=policy, effective_date=datetime.date(2026, 5, 1), reason="Cambio de uso",
                   risk={**RISK, "capital": "25000"})
    versions = policy.versions.count()
    endorse = {"effective_date": "2026-06-01", "reason": "Aumento de capital", "rerate": "on", "save": "endorse",
               "version": loaded, "risk-capital": "30000", "risk-holder_age": "30", "risk-use": "private",
               "persons-TOTAL_FORMS": "1", "persons-INITIAL_FORMS": "0", "persons-0-name": "Lucía Prieto",
               "persons-0-birth_date": "1996-05-01"}
    response = client_a.post(f"/seguros/polizas/{policy.pk}/suplemento/", endorse)
    page = response.content.decode().replace("\n", "")
    assert response.status_code == 409 and STALE in page
    assert "<td>30.000,00</td><td>25.000,00</td>" in page or "<td>30000</td><td>25000</td>" in page, page[:3000]
    assert policy.versions.count() == versions
    assert Decimal(str(policy.versions.order_by("-number").first().risk_data["capital"])) == Decimal("25000")


def test_the_services_check_the_version_under_their_lock(users_a, hr_people, policy, admin_a):
    from apps.core.errors import StaleObjectError

    ana = hr_people["ana"]
    with pytest.raises(StaleObjectError) as info:
        employee_update(actor=users_a["rrhh"], employee=ana, expected_version=ana.version - 1, position="Jefa")
    assert info.value.status == 409
    with pytest.raises(StaleObjectError):
        policy_endorse(actor=admin_a, policy=policy, effective_date=datetime.date(2026, 6, 1), reason="Capital",
                       risk={**RISK, "capital": "30000"}, expected_version=policy.version + 1)
    assert policy.versions.count() == 1 and ana.position == "Técnica de seguros"
    employee_update(actor=users_a["rrhh"], employee=ana, expected_version=ana.version, position="Jefa")  # current: saved


def test_employee_page_collaboration_is_for_hr_only(tenants, hr_people, users_a):
    """The employee may open their own page, but the comments and note HR keeps on it are HR's."""
    from apps.collaboration.records import can_collaborate
    from apps.notifications.realtime import can_view_record

    ana = hr_people["ana"]
    key = f"hr.employee.{ana.pk}"
    assert can_view_record(ana.user, key) and not can_collaborate(ana.user, key)
    assert can_collaborate(users_a["rrhh"], key)
    own_page = host_client(tenants.alfa_host, ana.user).get(f"/rrhh/empleados/{ana.pk}/")
    hr_page = host_client(tenants.alfa_host, users_a["rrhh"]).get(f"/rrhh/empleados/{ana.pk}/")
    assert own_page.status_code == hr_page.status_code == 200
    assert 'id="collab-panel"' not in own_page.content.decode() and 'id="collab-panel"' in hr_page.content.decode()
