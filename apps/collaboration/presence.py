"""Presence on a record page, kept without a shared store: the sockets of a record gossip on its
collaboration group (apps.collaboration.consumers.CollaborationConsumer), and each browser builds the
list of who is there from what it hears. This module holds the pieces that are not the socket: the
card a socket shows of its user, the avatar colour, the socket's limits and its token bucket."""
import time
from dataclasses import dataclass

from django.conf import settings

MODES = ("viewing", "editing")
# Hue step of the golden angle: consecutive user ids get colours far apart on the wheel.
_GOLDEN_ANGLE = 137.508


def avatar_colour(user_id: int) -> str:
    """A stable background colour for a user's initials (white text stays readable on it)."""
    hue = round((int(user_id or 0) * _GOLDEN_ANGLE) % 360)
    return f"hsl({hue}, 55%, 38%)"


def member_card(user, *, tab: str, mode: str) -> dict:
    """What the other pages of the record learn of one socket (no e-mail, no channel name)."""
    return {"id": user.pk, "name": str(user), "initials": user.initials, "colour": avatar_colour(user.pk),
            "tab": tab, "mode": mode}


@dataclass(frozen=True)
class SocketLimits:
    max_frame_bytes: int
    rate_per_second: float
    burst: int
    heartbeat_seconds: float
    silence_seconds: float


def socket_limits() -> SocketLimits:
    """The collaboration socket's limits (settings COLLAB_*; defaults here)."""
    return SocketLimits(
        max_frame_bytes=int(getattr(settings, "COLLAB_MAX_FRAME_BYTES", 16 * 1024)),
        rate_per_second=float(getattr(settings, "COLLAB_RATE_PER_SECOND", 10)),
        burst=int(getattr(settings, "COLLAB_RATE_BURST", 30)),
        heartbeat_seconds=float(getattr(settings, "COLLAB_HEARTBEAT_SECONDS", 20)),
        silence_seconds=float(getattr(settings, "COLLAB_SILENCE_SECONDS", 50)),
    )


# Heartbeats of everyone reach everyone: N sockets on one record cost N²/period frames. Beyond this many
# members the period (and the silence a page waits before dropping someone) grows with N, so the
# cost stays linear: 1,000 sockets beat every 800 s instead of 20 s. collab.js applies the same factor.
HEARTBEAT_MEMBERS = 25


def heartbeat_scale(members: int) -> float:
    return max(1.0, members / HEARTBEAT_MEMBERS)


class TokenBucket:
    """`burst` messages at once, then `rate` per second; take() says whether one more may pass."""

    def __init__(self, rate: float, burst: int, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens = float(burst)
        self.stamp = clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(float(self.burst), self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
