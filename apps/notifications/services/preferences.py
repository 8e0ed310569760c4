"""Per-person, per-kind choice of channels: in the application, an e-mail at once, the daily digest."""
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.notifications.choices import IMMEDIATE_BY_DEFAULT, NotificationKind, normalise_kind
from apps.notifications.errors import NotificationError
from apps.notifications.models import NotificationPreference

FLAGS = ("in_app", "email_immediate", "email_digest")


@dataclass(frozen=True)
class Channels:
    in_app: bool
    email_immediate: bool
    email_digest: bool

    def as_dict(self) -> dict:
        return asdict(self)


def default_preference(kind: str) -> Channels:
    """No row: in the application always; e-mail at once for mentions and approvals, digest for the rest."""
    immediate = normalise_kind(kind) in IMMEDIATE_BY_DEFAULT
    return Channels(in_app=True, email_immediate=immediate, email_digest=not immediate)


def _of(row: NotificationPreference) -> Channels:
    return Channels(in_app=row.in_app, email_immediate=row.email_immediate, email_digest=row.email_digest)


def preference_for(user, kind: str) -> Channels:
    kind = normalise_kind(kind)
    row = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return _of(row) if row else default_preference(kind)


def preferences_for(user) -> dict[str, Channels]:
    """Every kind, in NotificationKind's order, with the person's choice or the default (one query)."""
    rows = {row.kind: _of(row) for row in NotificationPreference.objects.filter(user=user)}
    return {kind: rows.get(kind) or default_preference(kind) for kind in NotificationKind.values}


def _clean(data) -> dict[str, dict[str, bool]]:
    if not isinstance(data, dict):
        raise NotificationError(_("Envíe las preferencias como un objeto {tipo: {canal: sí/no}}."),
                                code="notif_pref_shape")
    cleaned = {}
    for kind, flags in data.items():
        if kind not in NotificationKind.values:
            raise NotificationError(_("El tipo de notificación «%s» no existe.") % kind, code="notif_pref_kind",
                                    field=str(kind))
        if not isinstance(flags, dict) or set(flags) - set(FLAGS) or not all(
                isinstance(value, bool) for value in flags.values()):
            raise NotificationError(
                _("Indique para «%(kind)s» sólo in_app, email_immediate y email_digest, con verdadero o falso.")
                % {"kind": NotificationKind(kind).label}, code="notif_pref_flags", field=kind)
        cleaned[kind] = flags
    return cleaned


@transaction.atomic
def preferences_update(*, actor, data: dict) -> dict[str, Channels]:
    """Saves the actor's own choices: {kind: {flag: bool}} (flags left out keep their value).
    Bad input: NotificationError and nothing saved. One audit event listing what changed."""
    cleaned = _clean(data)
    current = preferences_for(actor)
    changes = {}
    for kind, flags in cleaned.items():
        before = current[kind]
        after = Channels(**{**before.as_dict(), **flags})
        if after == before:
            continue
        NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults=after.as_dict())
        changes[kind] = {flag: [getattr(before, flag), getattr(after, flag)] for flag in FLAGS
                         if getattr(before, flag) != getattr(after, flag)}
        current[kind] = after
    if changes:
        audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=actor, verb="notification_preferences",
                           changes=changes)
    return current
