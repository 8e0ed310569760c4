"""Comments on any record (issue 9 item 2), on a CRM party ("crm.party.<pk>", the live kind registered today):
the services, the «Comentarios» fragments, the API, mentions and their notifications, escaping, the pinned query
count of the thread and the broadcast on the record's collaboration group."""
import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import re_path
from django_tenants.utils import schema_context

from apps.audit.models import AuditEvent
from apps.collaboration.errors import CollaborationError
from apps.collaboration.models import Comment, CommentRevision
from apps.collaboration.realtime import collab_group
from apps.collaboration.services.comments import comment_add, comment_delete, comment_edit
from apps.crm.models import Party
from apps.notifications.models import Notification
from tests.conftest import host_client

THREAD = "/colaboracion/comentarios/"
API = "/api/v1/collaboration/comments/"


def _party(name, manager):
    first, last = name.split(" ", 1)
    return Party.objects.create(display_name=name, first_name=first, last_name=last, account_manager=manager)


@pytest.fixture
def party(users_a):
    return _party("Lucía Navarro", users_a["comercial"])


@pytest.fixture
def key(party):
    return f"crm.party.{party.pk}"


def _client(tenants, user):
    return host_client(tenants.alfa_host, user)


def _mentions(user):
    return Notification.objects.filter(recipient=user, kind="mention")


def test_add_reply_and_a_reply_to_a_reply_joins_the_top_comment(tenants, users_a, key):
    comercial, boss = users_a["comercial"], users_a["direccion"]
    response = _client(tenants, comercial).post(THREAD, {"key": key, "body": "  Llamar el lunes por la póliza  "})
    assert response.status_code == 200
    top = Comment.objects.get()
    assert top.body == "Llamar el lunes por la póliza" and top.author == comercial and top.parent is None
    assert "Llamar el lunes por la póliza" in response.content.decode()

    reply = comment_add(actor=boss, key=key, body="De acuerdo", parent=top.pk)
    nested = comment_add(actor=comercial, key=key, body="Hecho", parent=reply)
    assert reply.parent == top and nested.parent == top  # two levels shown

    page = _client(tenants, boss).get(THREAD, {"key": key}).content.decode()
    assert page.index("Llamar el lunes") < page.index("De acuerdo") < page.index("Hecho")

    other = _party("Luis Gil", comercial)
    with pytest.raises(CollaborationError) as refused:
        comment_add(actor=comercial, key=f"crm.party.{other.pk}", body="Hola", parent=top.pk)
    assert refused.value.code == "collab_comment_parent"


def test_edit_keeps_the_original_in_the_history(tenants, users_a, key):
    comercial = users_a["comercial"]
    comment = comment_add(actor=comercial, key=key, body="Renovación en marzo")
    response = _client(tenants, comercial).post(f"{THREAD}{comment.pk}/editar/", {"body": "Renovación en abril"})
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.body == "Renovación en abril" and comment.edited_at is not None
    assert list(comment.revisions.values_list("body", flat=True)) == ["Renovación en marzo"]
    assert "editado" in response.content.decode()
    assert AuditEvent.objects.filter(verb="collab_comment_edit", object_id=str(comment.pk)).count() == 1

    reader = _client(tenants, users_a["cobros"])  # may view the party, did not write the comment
    history = reader.get(f"{THREAD}{comment.pk}/historial/")
    assert history.status_code == 200 and "Renovación en marzo" in history.content.decode()
    api = reader.get(f"{API}{comment.pk}/revisions/")
    assert api.status_code == 200 and [r["body"] for r in api.json()] == ["Renovación en marzo"]


def test_another_user_cannot_edit_or_delete(tenants, users_a, key):
    comment = comment_add(actor=users_a["comercial"], key=key, body="Original")
    boss = _client(tenants, users_a["direccion"])
    response = boss.post(f"{THREAD}{comment.pk}/editar/", {"body": "Cambiado"})
    assert response.status_code == 403 and "Solo quien escribió" in response.content.decode()
    api = boss.patch(f"{API}{comment.pk}/", {"body": "Cambiado"}, content_type="application/json")
    assert api.status_code == 403 and api.json()["code"] == "collab_comment_not_author"
    assert boss.delete(f"{API}{comment.pk}/").status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Original" and not comment.revisions.exists() and comment.deleted_at is None


def test_author_or_staff_superuser_deletes_softly(tenants, users_a, key, admin_a):
    comercial = users_a["comercial"]
    mine = comment_add(actor=comercial, key=key, body="Borrador")
    comment_edit(actor=comercial, comment=mine, body="Borrador 2")
    assert _client(tenants, comercial).delete(f"{API}{mine.pk}/").status_code == 204
    mine.refresh_from_db()
    assert mine.body == "" and mine.deleted_at is not None and mine.revisions.count() == 1
    other = comment_add(actor=comercial, key=key, body="Otro")
    comment_add(actor=users_a["direccion"], key=key, body="Respuesta", parent=other)
    response = _client(tenants, admin_a).post(f"{THREAD}{other.pk}/borrar/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Comentario eliminado." in page and "Respuesta" in page and "Otro" not in page
    with pytest.raises(CollaborationError):
        comment_delete(actor=comercial, comment=other)  # already deleted
    admin = _client(tenants, admin_a)  # the admin: read-only, earlier versions inline
    assert admin.get("/admin/collaboration/comment/").status_code == 200
    change = admin.get(f"/admin/collaboration/comment/{mine.pk}/change/")
    assert change.status_code == 200 and "Borrador" in change.content.decode()


def test_who_cannot_view_the_record_gets_404_and_nothing_is_saved(tenants, users_a, key, party):
    comment = comment_add(actor=users_a["comercial"], key=key, body="Privado")
    others = [users_a["rrhh"],  # no CRM access
              users_a["comercial"]]  # a Comercial sees only its own clients: use another's party
    theirs = f"crm.party.{_party('Jorge Vidal', users_a['direccion']).pk}"
    for user, record in ((others[0], key), (others[1], theirs)):
        client = _client(tenants, user)
        assert client.get(THREAD, {"key": record}).status_code == 404
        assert client.post(THREAD, {"key": record, "body": "Hola"}).status_code == 404
        assert client.get(f"{THREAD}menciones/", {"key": record, "q": "di"}).status_code == 404
        assert client.get(API, {"key": record}).status_code == 404
        created = client.post(API, {"key": record, "body": "Hola"}, content_type="application/json")
        assert created.status_code == 404 and created.json()["code"] == "collab_record_unknown"
    rrhh = _client(tenants, users_a["rrhh"])
    for url in (f"{THREAD}{comment.pk}/historial/", f"{API}{comment.pk}/", f"{API}{comment.pk}/revisions/"):
        assert rrhh.get(url).status_code == 404, url
    assert rrhh.post(f"{THREAD}{comment.pk}/editar/", {"body": "x"}).status_code == 404
    assert rrhh.delete(f"{API}{comment.pk}/").status_code == 404
    assert Comment.objects.count() == 1 and Comment.objects.get().body == "Privado"
    assert _client(tenants, None).get(THREAD, {"key": key}).status_code == 404


def test_a_mention_notifies_a_colleague_once(tenants, users_a, key, party):
    comercial, boss, rrhh, cobros = (users_a[c] for c in ("comercial", "direccion", "rrhh", "cobros"))
    comment = comment_add(actor=comercial, key=key, body="@direccion ¿lo revisas? (cc @rrhh, @nadie)")
    assert set(comment.mentions.all()) == {boss}  # rrhh cannot view the party; nobody is "nadie"
    sent = _mentions(boss).get()
    assert "Lucía Navarro" in sent.title and sent.body.startswith("@direccion") and str(party.pk) in sent.url
    assert not _mentions(rrhh).exists()

    comment_edit(actor=comercial, comment=comment, body="@direccion ¿lo revisas hoy?")
    assert _mentions(boss).count() == 1  # already mentioned: not notified again
    comment_edit(actor=comercial, comment=comment, body="@direccion y @cobros, ¿lo revisáis hoy?")
    assert _mentions(boss).count() == 1 and _mentions(cobros).count() == 1

    suggestions = _client(tenants, comercial).get(f"{THREAD}menciones/", {"key": key, "q": "r"}).json()["results"]
    assert "rrhh" not in [s["handle"] for s in suggestions]
    suggestions = _client(tenants, comercial).get(f"{THREAD}menciones/", {"key": key, "q": "dir"}).json()["results"]
    assert [s["handle"] for s in suggestions] == ["direccion"]


def test_the_card_loads_its_thread_with_htmx(key):
    card = render_to_string("collaboration/_comments.html", {"record_key": key})
    assert f'hx-get="/colaboracion/comentarios/?key={key}"' in card and "Comentarios" in card
    assert "collaboration/comments.js" in card and "<script>" not in card  # no inline script (CSP)
    assert render_to_string("collaboration/_comments.html", {"record_key": None}).strip() == ""


def test_script_tags_are_escaped_and_mentions_are_badges(tenants, users_a, key):
    comment_add(actor=users_a["comercial"], key=key, body="<script>alert(1)</script>\n@direccion <b>ojo</b>")
    page = _client(tenants, users_a["cobros"]).get(THREAD, {"key": key}).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>ojo</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>" in page and "&lt;b&gt;ojo&lt;/b&gt;" in page
    assert 'collab-mention">@direccion</span>' in page


def test_an_over_long_or_empty_body_is_refused_and_nothing_saved(tenants, users_a, key):
    client = _client(tenants, users_a["comercial"])
    response = client.post(THREAD, {"key": key, "body": "x" * 5001})
    assert response.status_code == 400 and "el máximo es 5000" in response.content.decode()
    assert "x" * 5001 in response.content.decode()  # the text is kept in the form
    api = client.post(API, {"key": key, "body": "x" * 5001}, content_type="application/json")
    assert api.status_code == 400 and api.json()["code"] == "collab_comment_too_long"
    assert client.post(THREAD, {"key": key, "body": "   "}).status_code == 400
    assert not Comment.objects.exists()
    assert client.post(API, {"key": key, "body": "x" * 5000}, content_type="application/json").status_code == 201


def test_api_thread_is_paginated_with_replies(tenants, users_a, key):
    comercial = users_a["comercial"]
    top = comment_add(actor=comercial, key=key, body="Uno @direccion")
    comment_add(actor=users_a["direccion"], key=key, body="Dos", parent=top)
    comment_edit(actor=comercial, comment=top, body="Uno, @direccion")
    data = _client(tenants, comercial).get(API, {"key": key}).json()
    assert data["count"] == 1
    first = data["results"][0]
    assert first["key"] == key and first["revision_count"] == 1
    assert [user["id"] for user in first["mentions"]] == [users_a["direccion"].pk]
    assert [reply["body"] for reply in first["replies"]] == ["Dos"]
    own = _client(tenants, users_a["direccion"]).get(API).json()  # without ?key=: your own comments
    assert [(c["body"], c["parent"]) for c in own["results"]] == [("Dos", top.pk)]


def test_thread_fragment_query_count_is_pinned(tenants, users_a, key, party):
    comercial, boss = users_a["comercial"], users_a["direccion"]
    client = _client(tenants, boss)
    few_key = f"crm.party.{_party('Ana Ruiz', comercial).pk}"
    comment_add(actor=boss, key=few_key, body="Uno", parent=comment_add(actor=comercial, key=few_key, body="Solo"))
    for n in range(6):
        top = comment_add(actor=comercial, key=key, body=f"Hilo {n} @direccion")
        comment_edit(actor=comercial, comment=top, body=f"Hilo {n} editado @direccion")
        for m in range(3):
            comment_add(actor=boss, key=key, body=f"Respuesta {m} @comercial", parent=top)
    client.get(THREAD, {"key": few_key})
    with CaptureQueriesContext(connection) as few:
        client.get(THREAD, {"key": few_key})
    with CaptureQueriesContext(connection) as many:
        response = client.get(THREAD, {"key": key})
    assert response.content.decode().count("collab-comment py-2") == 24
    # tenant (3: search path, domain, search path), session, user, the party's rule (user and group permissions,
    # role, party), content type, then the thread: top comments, their mentions and attachments, replies, their
    # mentions and attachments
    assert len(few) == len(many) == 16, [q["sql"][:90] for q in many.captured_queries]


class _GroupListener(AsyncJsonWebsocketConsumer):
    """Test stand-in for the collaboration socket: joins the group named in the URL on the layer."""

    async def connect(self):
        self.group = self.scope["url_route"]["kwargs"]["group"]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def collab_event(self, event):
        await self.send_json(event["message"])


@pytest.fixture
def _keep_test_connection(monkeypatch):
    # channels closes "old" database connections around each consumer call; the test's connection is inside
    # its rolled back transaction, which that check would drop.
    monkeypatch.setattr("channels.db.close_old_connections", lambda **kwargs: None)


def test_changes_are_broadcast_on_the_records_collaboration_group(users_a, key, django_capture_on_commit_callbacks,
                                                                  _keep_test_connection):
    app = URLRouter([re_path(r"^listen/(?P<group>[\w.-]+)/$", _GroupListener.as_asgi())])
    comercial = users_a["comercial"]

    def in_alfa(change):
        def run():
            with schema_context("alfa"), django_capture_on_commit_callbacks(execute=True):
                return change().pk
        return sync_to_async(run)

    async def next_about(ws, comment_id):
        while True:  # other test runs may share the Redis layer: skip what is not ours
            message = await ws.receive_json_from(timeout=3)
            if message.get("comment") == comment_id:
                return message

    async def scenario():
        ws = WebsocketCommunicator(app, f"/listen/{collab_group(key, 'alfa')}/")
        assert (await ws.connect())[0]
        added = await in_alfa(lambda: comment_add(actor=comercial, key=key, body="En directo"))()
        assert await next_about(ws, added) == {"type": "comments.changed", "key": key, "comment": added}
        comment = await sync_to_async(Comment.objects.get)(pk=added)
        await in_alfa(lambda: comment_edit(actor=comercial, comment=comment, body="En directo, editado"))()
        assert (await next_about(ws, added))["type"] == "comments.changed"
        await in_alfa(lambda: comment_delete(actor=comercial, comment=comment))()
        assert (await next_about(ws, added))["key"] == key
        await ws.disconnect()

    async_to_sync(scenario)()
    assert CommentRevision.objects.filter(comment_id=Comment.objects.get().pk).count() == 1
