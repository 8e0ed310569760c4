"""Login lockouts (django-axes, database handler): after AXES_FAILURE_LIMIT failures of one e-mail from one IP
(password or second-step code) that pair is refused for AXES_COOLOFF_TIME; Sistemas can unlock it earlier."""
import datetime
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.identity.errors import IdentityError

VERB_LABELS.setdefault("login_locked_out", gettext_lazy("bloqueo del acceso por intentos fallidos"))
VERB_LABELS.setdefault("login_unlocked", gettext_lazy("desbloqueo del acceso"))


@dataclass
class Lockout:
    username: str
    ip: str | None
    failures: int
    last_attempt: datetime.datetime
    until: datetime.datetime
    locked: bool


def _window_start() -> datetime.datetime:
    return timezone.now() - settings.AXES_COOLOFF_TIME


def lockouts_list(*, only_locked: bool = False) -> list[Lockout]:
    """Failed-login counters still within the cool-off window, per e-mail and IP (one query)."""
    rows = (AccessAttempt.objects.filter(attempt_time__gte=_window_start())
            .values("username", "ip_address").annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .order_by("-last"))
    limit = settings.AXES_FAILURE_LIMIT
    items = [Lockout(username=row["username"] or "", ip=row["ip_address"], failures=row["failures"],
                     last_attempt=row["last"], until=row["last"] + settings.AXES_COOLOFF_TIME,
                     locked=row["failures"] >= limit) for row in rows]
    return [item for item in items if item.locked] if only_locked else items


def lockout_until(*, username: str, ip: str | None) -> datetime.datetime | None:
    """When the pair can try again, or None when it is not locked."""
    for item in lockouts_list(only_locked=True):
        if item.username == (username or "") and item.ip == ip:
            return item.until
    return None


def login_locked_record(*, username: str, ip: str | None) -> None:
    audit_event_record(actor=None, action=AuditAction.ACTION, verb="login_locked_out",
                       changes={"email": username, "ip": ip, "failures": settings.AXES_FAILURE_LIMIT,
                                "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)})


@transaction.atomic
def lockout_unlock(*, actor, username: str, ip: str | None) -> int:
    """Clears the failure counter of an e-mail + IP pair (admin or the «Bloqueos de acceso» page)."""
    if not username and not ip:
        raise IdentityError(_("Indique el usuario y la dirección IP que quiere desbloquear."), code="lockout_unknown")
    count = AxesProxyHandler.reset_attempts(username=username or None, ip_address=ip or None)
    if not count:
        raise IdentityError(_("Ese acceso ya no estaba bloqueado."), code="lockout_not_found", status=404)
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="login_unlocked",
                       changes={"email": username, "ip": ip, "attempts_cleared": count})
    return count
