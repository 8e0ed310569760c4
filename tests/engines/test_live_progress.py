"""An engine run's progress reaches its owner's page over /ws/notifications/ (in-process socket through
aitcore.asgi with the real Redis channel layer, as tests/notifications/test_websocket.py)."""
import pytest
from django.conf import settings

from apps.engines.services.runs import engine_run_start
from apps.engines.tasks import engine_run_task
from tests.engines.test_runs import LR_PARAMS
from tests.notifications.test_websocket import _communicator, _in_process_sockets, _json


@pytest.mark.skipif(not settings.REDIS_URL, reason="the real Redis channel layer is what is under test")
def test_progress_of_a_run_reaches_the_owner_socket(lr_data, users_a, settings, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    from asgiref.sync import async_to_sync, sync_to_async

    _in_process_sockets(settings, monkeypatch)
    assert "redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"].lower()
    boss = users_a["direccion"]
    run, _ = engine_run_start(actor=boss, engine_key="actuarial.loss_ratio", params=LR_PARAMS)

    def execute():
        from django_tenants.utils import schema_context

        with schema_context("alfa"), django_capture_on_commit_callbacks(execute=True):
            engine_run_task.apply(args=[run.job_id])

    async def scenario():
        ws = _communicator(boss)
        assert (await ws.connect())[0]
        assert (await _json(ws))["type"] == "hello"
        await sync_to_async(execute)()
        seen = []
        while True:
            message = await _json(ws)
            if message.get("type") == "job" and message["id"] == run.job_id:
                seen.append(message)
                if message["status"] in ("succeeded", "failed", "cancelled"):
                    break
        await ws.disconnect()
        return seen

    seen = async_to_sync(scenario)()
    progress = [m["progress"] for m in seen]
    assert progress[0] == 0 and progress[-1] == 100 and progress == sorted(progress) and len(progress) >= 4
    assert seen[-1]["status_label"] == "Terminado"
    assert any(m["message"].startswith("Calculando prima imputada") for m in seen)
