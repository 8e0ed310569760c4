"""Sending notifications: each person's preferences (apps.notifications.services.preferences) decide
whether the notice shows in the application (bell, inbox, socket), goes out at once by e-mail (Celery,
after the commit) or waits for the daily digest (digest_pending, sent by notifications_digest_send)."""
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.notifications.choices import NotificationKind, normalise_kind
from apps.notifications.models import Notification
from apps.notifications.realtime import push_to_user
from apps.notifications.services.preferences import preference_for

RESUME_LIMIT = 50


@transaction.atomic
def notification_send(*, recipient, title: str, body: str = "", url: str = "",
                      kind: str = NotificationKind.OTHER) -> Notification | None:
    """Notifies `recipient` on the channels they chose for `kind` (old kind strings are mapped, see
    choices.LEGACY_KINDS). The in-app row is left out only when an e-mail will reach the person.
    An immediate e-mail replaces the digest for that notice. Returns the row, or None when none was needed."""
    kind = normalise_kind(kind)
    channels = preference_for(recipient, kind)
    address = recipient.email if recipient.is_active else ""
    immediate = bool(address) and channels.email_immediate
    digest = bool(address) and channels.email_digest and not immediate
    shown = channels.in_app or not (immediate or digest)
    schema = connection.schema_name
    notification = None
    if shown or digest:
        notification = Notification.objects.create(recipient=recipient, title=title, body=body, url=url, kind=kind,
                                                   shown_in_app=shown, digest_pending=digest)
    if shown:
        message = {"type": "notification", "notification": notification.as_message(), "unread": unread_count(recipient)}
        transaction.on_commit(lambda: push_to_user(recipient.pk, message, schema))
    if immediate:
        from apps.notifications.services.emails import absolute_link
        from apps.notifications.tasks import notification_email

        args = [recipient.pk, str(title), str(body), absolute_link(str(url))]

        def enqueue():
            with schema_context(schema):
                notification_email.delay(*args)

        transaction.on_commit(enqueue)
    return notification


def notify_assignment(*, actor, assignee, title: str, url: str = "", body: str = "") -> Notification | None:
    """«Se le ha asignado…» to `assignee`, unless nobody, or the actor assigned it to themselves."""
    if assignee is None or not assignee.is_active or getattr(actor, "pk", None) == assignee.pk:
        return None
    return notification_send(recipient=assignee, title=title[:200], body=body, url=url, kind=NotificationKind.ASSIGNMENT)


@transaction.atomic
def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    query = Notification.objects.in_app().filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        query = query.filter(pk__in=[pk for pk in ids if isinstance(pk, int) or str(pk).isdigit()])
    count = query.update(read_at=timezone.now())
    schema = connection.schema_name
    unread = unread_count(actor)
    transaction.on_commit(lambda: push_to_user(actor.pk, {"type": "unread", "unread": unread}, schema))
    return count


def unread_count(user) -> int:
    return Notification.objects.in_app().filter(recipient=user, read_at__isnull=True).count()


def last_notification_id(user) -> int:
    return Notification.objects.in_app().filter(recipient=user).order_by("-pk").values_list("pk", flat=True).first() or 0


def notifications_since(user, since: int, *, limit: int = RESUME_LIMIT) -> list[Notification]:
    """The user's in-app notifications created after id `since`, oldest first; the newest `limit` of them."""
    rows = list(Notification.objects.in_app().filter(recipient=user, pk__gt=since).order_by("-pk")[:limit])
    return rows[::-1]
