"""Live updates of the client 360° page: /ws/records/ tells a page following "crm.party.<pk>"
that the party (or something its page shows) changed, and refuses users who cannot see it.

The sockets run through aitcore.asgi's application (tenant by Host, user by JWT) with channels'
WebsocketCommunicator. The test body is synchronous and drives the socket with async_to_sync, so
the consumer's database calls run on this thread, inside the test's rolled back transaction.
"""
import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework_simplejwt.tokens import AccessToken

from apps.crm.models import Party
from apps.crm.realtime import parties_of_event

PATH = "/ws/records/"


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    # database_sync_to_async closes "old" connections around each call; the test's connection is
    # inside its transaction (autocommit off), which that check would drop.
    monkeypatch.setattr("channels.db.close_old_connections", lambda **kwargs: None)


def _token(user) -> str:
    token = AccessToken.for_user(user)
    token["tenant"] = "alfa"
    return str(token)


def _socket(user, query: str, host: str = "alfa.test") -> WebsocketCommunicator:
    from aitcore.asgi import application

    return WebsocketCommunicator(application, f"{PATH}?{query}&token={_token(user)}", headers=[(b"host", host.encode())])


def _party(name, manager):
    first, last = name.split(" ", 1)
    return Party.objects.create(display_name=name, first_name=first, last_name=last, account_manager=manager)


def test_a_party_changed_through_the_services_reaches_its_followers(users_a, django_capture_on_commit_callbacks):
    from apps.crm.services.activities import activity_create
    from apps.crm.services.parties import party_update

    comercial = users_a["comercial"]
    party, other = _party("Lucía Navarro", comercial), _party("Luis Gil", comercial)
    key = f"crm.party.{party.pk}"

    def in_alfa(change):
        def run():
            with schema_context("alfa"), django_capture_on_commit_callbacks(execute=True):
                change()
        return sync_to_async(run)

    async def scenario():
        ws = _socket(comercial, f"key={key}")
        connected, _ = await ws.connect()
        assert connected
        assert await ws.receive_json_from() == {"type": "subscribed", "keys": [key]}

        await in_alfa(lambda: party_update(actor=comercial, party=party, data={"profession": "Enfermera"}))()
        assert await ws.receive_json_from(timeout=3) == {"type": "record.changed", "key": key}

        await in_alfa(lambda: activity_create(actor=comercial, data={
            "party": party, "subject": "Llamar", "kind": "call", "owner": comercial, "due_at": timezone.now()}))()
        assert await ws.receive_json_from(timeout=3) == {"type": "record.changed", "key": key}

        # Another party's change is not sent to this page.
        await in_alfa(lambda: party_update(actor=comercial, party=other, data={"profession": "Fontanero"}))()
        assert await ws.receive_nothing(timeout=0.3)
        await ws.disconnect()

    async_to_sync(scenario)()


def test_a_user_who_cannot_see_the_party_is_refused(users_a):
    comercial, boss = users_a["comercial"], users_a["direccion"]
    theirs = _party("Jorge Vidal", boss)  # a Comercial sees only the clients it manages
    mine = _party("Pilar Mora", comercial)

    async def scenario():
        refused = _socket(comercial, f"key=crm.party.{theirs.pk}")
        assert await refused.connect() == (False, 4403)
        for key in ("crm.party.999999999", "crm.nothing.1", "crm.party.1;drop"):
            ws = _socket(boss, f"key={key}")
            assert (await ws.connect())[0] is False, key
        # Subscribing after connecting follows the same rule.
        ws = _socket(comercial, f"key=crm.party.{mine.pk}")
        assert (await ws.connect())[0]
        await ws.receive_json_from()
        await ws.send_json_to({"type": "subscribe", "key": f"crm.party.{theirs.pk}"})
        assert await ws.receive_json_from() == {"type": "refused", "key": f"crm.party.{theirs.pk}"}
        await ws.disconnect()
        # Whoever may open the page may follow it; the other brokerage's host knows no such user.
        ws = _socket(boss, f"key=crm.party.{theirs.pk}")
        assert (await ws.connect())[0]
        await ws.disconnect()
        assert (await _socket(boss, f"key=crm.party.{theirs.pk}", host="beta.test").connect())[0] is False

    async_to_sync(scenario)()


def test_events_map_to_the_parties_whose_page_shows_them(users_a):
    from apps.crm.models import Activity

    party = _party("Ana Ruiz", users_a["comercial"])
    activity = Activity.objects.create(party=party, subject="Llamar", owner=users_a["comercial"], due_at=timezone.now())
    assert parties_of_event("crm.party.updated", {"pk": party.pk, "schema": "alfa"}) == {party.pk}
    assert parties_of_event("crm.party.created", {"pk": party.pk, "schema": "alfa"}) == set()  # nobody follows it yet
    assert parties_of_event("crm.party.merged", {"pk": party.pk, "duplicate_pk": 7, "schema": "alfa"}) == {party.pk, 7}
    assert parties_of_event("crm.activity.updated", {"pk": activity.pk, "schema": "alfa"}) == {party.pk}
    assert parties_of_event("crm.partyrelation.deleted", {"pk": 3, "parties": [party.pk, 8], "schema": "alfa"}) == {
        party.pk, 8}
    assert parties_of_event("crm.campaign.sent", {"pk": 1, "schema": "alfa"}) == set()
    assert parties_of_event("identity.user.updated", {"pk": 1, "schema": "alfa"}) == set()


def test_360_page_follows_its_party(client_a, users_a):
    party = _party("Ana Ruiz", users_a["comercial"])
    page = client_a.get(f"/r/crm/party/{party.pk}/").content.decode()
    assert f'data-live-record="crm.party.{party.pk}"' in page and 'data-live-ws="/ws/records/"' in page
    assert "/static/core/live-record.js" in page and "<script>" not in page
