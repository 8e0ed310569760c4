from django.db import connection, transaction
from django.utils import timezone

from apps.notifications.models import Notification
from apps.notifications.realtime import push_to_user


@transaction.atomic
def notification_send(*, recipient, title: str, body: str = "", url: str = "", kind: str = "info") -> Notification:
    notification = Notification.objects.create(recipient=recipient, title=title, body=body, url=url, kind=kind)
    schema = connection.schema_name
    unread = unread_count(recipient)
    message = {"type": "notification", "notification": notification.as_message(), "unread": unread}
    transaction.on_commit(lambda: push_to_user(recipient.pk, message, schema))
    return notification


@transaction.atomic
def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    query = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        query = query.filter(pk__in=ids)
    count = query.update(read_at=timezone.now())
    schema = connection.schema_name
    unread = unread_count(actor)
    transaction.on_commit(lambda: push_to_user(actor.pk, {"type": "unread", "unread": unread}, schema))
    return count


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
