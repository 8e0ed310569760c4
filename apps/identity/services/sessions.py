"""Signed-in sessions per user («Mis sesiones»): recorded at login, touched at most once a minute, ended one by
one or all at once. Ending one deletes the Django session itself (whatever SESSION_ENGINE: db, cache,
cached_db or a Redis cache) and its UserSession row."""
import datetime
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.identity.errors import IdentityError
from apps.identity.models import User, UserSession

VERB_LABELS.setdefault("sessions_revoked", gettext_lazy("cierre de sesiones"))
TOUCH_EVERY = datetime.timedelta(seconds=60)


def session_store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def idle_timeout() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.IDLE_TIMEOUT_MINUTES)


def sessions_active(user) -> list[UserSession]:
    """The user's sessions that can still be used: seen within the idle timeout (plus the touch interval) and
    younger than the session cookie."""
    now = timezone.now()
    return list(UserSession.objects.filter(
        user=user, last_seen_at__gte=now - idle_timeout() - TOUCH_EVERY,
        created_at__gte=now - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE),
    ).order_by("-last_seen_at"))


def session_record(*, user, session_key: str, ip: str | None, user_agent: str) -> UserSession:
    now = timezone.now()
    row, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "ip": ip or None, "user_agent": (user_agent or "")[:300], "created_at": now,
                  "last_seen_at": now},
    )
    return row


def session_touch(*, session_key: str, when: datetime.datetime) -> None:
    UserSession.objects.filter(session_key=session_key).update(last_seen_at=when)


def session_forget(*, session_key: str | None) -> None:
    """The row of a session that ended by itself (logout, idle timeout)."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def _end(rows) -> int:
    ended = 0
    for row in rows:
        session_store(row.session_key).delete()
        row.delete()
        ended += 1
    return ended


@transaction.atomic
def session_revoke(*, actor, user, session_key: str) -> int:
    """«Cerrar esta sesión»: ends one of `user`'s sessions (a key of another user is not found)."""
    rows = list(UserSession.objects.filter(user=user, session_key=session_key))
    if not rows:
        raise IdentityError(_("Esa sesión ya no existe."), code="session_not_found", status=404)
    ended = _end(rows)
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="sessions_revoked", obj=user,
                       changes={"sessions": ended, "scope": "one", "ip": rows[0].ip})
    return ended


@transaction.atomic
def sessions_revoke_all(*, actor, user) -> int:
    """«Cerrar sesión en todos los dispositivos»: every session of `user`, the current one included, and the
    API tokens (JWT) issued until now."""
    ended = _end(list(UserSession.objects.filter(user=user)))
    user.tokens_valid_after = timezone.now().replace(microsecond=0)
    User.objects.filter(pk=user.pk).update(tokens_valid_after=user.tokens_valid_after)
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="sessions_revoked", obj=user,
                       changes={"sessions": ended, "scope": "all", "api_tokens": True})
    return ended
