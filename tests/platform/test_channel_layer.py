"""The channel layer on the real Redis (CI sets REDIS_URL): a process's receive loop that waits through a quiet
spell longer than channels-redis' 5 s BZPOPMIN must not die of a client-side read timeout (redis-py 8 reads
with 5 s by default, which closed one socket per quiet spell in the fan-out bench) and still gets what comes
after."""
import asyncio

import pytest

from asgiref.sync import async_to_sync
from channels_redis.core import RedisChannelLayer
from django.conf import settings

QUIET_SECONDS = 6.5  # more than one whole BZPOPMIN wait of the layer


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs the Redis layer (CI sets REDIS_URL)")
def test_a_receive_outlives_a_quiet_spell_and_gets_the_next_message():
    async def scenario():
        config = settings.CHANNEL_LAYERS["default"]["CONFIG"]  # its own instance, with the production read timeout
        layer = RedisChannelLayer(hosts=[{"address": settings.REDIS_URL, "socket_timeout": settings.CHANNELS_SOCKET_TIMEOUT}],
                                  prefix=config["prefix"] + "-quiet")
        channel = await layer.new_channel()
        waiting = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(QUIET_SECONDS)
        assert not waiting.done() or waiting.exception() is None, waiting.exception()
        await layer.send(channel, {"type": "record.changed", "key": "crm.party.1"})
        try:
            return await asyncio.wait_for(waiting, timeout=10)
        finally:
            await layer.close_pools()

    assert async_to_sync(scenario)()["key"] == "crm.party.1"
