"""Awareness updates of the shared note (cursors, names, colours): the y-protocols wire format, read and
written here so the server can vouch for who a cursor belongs to. They are relayed, never stored.

An update is varuint(count), then per client varuint(clientID), varuint(clock), varstring(JSON state)
(y-protocols/awareness encodeAwarenessUpdate). A browser sends only its own client (count 1); the server
keeps "cursor" from the state and replaces "user" with the socket's user (name and colour from the session,
not from the browser), so nobody can show a cursor under a colleague's name. A state of null removes the
client: the server sends one for a socket that goes away, so its cursor disappears at once."""
import json

MAX_AWARENESS_BYTES = 16 * 1024
_MAX_VARUINT_BYTES = 8  # 2**56: clientIDs are uint32, clocks count a tab's changes


class AwarenessError(ValueError):
    pass


def _read_varuint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    for index in range(pos, min(len(data), pos + _MAX_VARUINT_BYTES)):
        byte = data[index]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, index + 1
        shift += 7
    raise AwarenessError("bad varuint")


def _write_varuint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    out.append(value)
    return bytes(out)


def read_awareness(data: bytes) -> tuple[int, int, dict | None]:
    """(clientID, clock, state or None) of a one-client awareness update; AwarenessError otherwise."""
    count, pos = _read_varuint(data, 0)
    if count != 1:
        raise AwarenessError("one client per update")
    client, pos = _read_varuint(data, pos)
    clock, pos = _read_varuint(data, pos)
    length, pos = _read_varuint(data, pos)
    if pos + length != len(data):
        raise AwarenessError("bad length")
    try:
        state = json.loads(data[pos:].decode())
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise AwarenessError("bad state") from None
    if state is not None and not isinstance(state, dict):
        raise AwarenessError("state is not an object")
    return client, clock, state


def write_awareness(client: int, clock: int, state: dict | None) -> bytes:
    body = json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode()
    return _write_varuint(1) + _write_varuint(client) + _write_varuint(clock) + _write_varuint(len(body)) + body


def vouched_awareness(data: bytes, user_card: dict) -> tuple[int, int, bytes]:
    """(clientID, clock, the update re-encoded with only "cursor" and the server's "user")."""
    client, clock, state = read_awareness(data)
    if state is not None:
        cursor = state.get("cursor")
        state = {"cursor": cursor if isinstance(cursor, dict) else None,
                 "user": {"id": user_card["id"], "name": user_card["name"], "color": user_card["colour"]}}
    return client, clock, write_awareness(client, clock, state)
