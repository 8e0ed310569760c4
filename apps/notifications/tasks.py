"""Thin tasks: load ids, call a service. Beat fans the digest out per brokerage
(apps.tenancy.tasks.fan_out with "apps.notifications.tasks.notifications_digest_send")."""
from django.db import connection

from aitcore.celery import app


@app.task(name="apps.notifications.tasks.notification_email")
def notification_email(user_id: int, title: str, body: str, link: str):
    """The immediate e-mail of one notification (sent by notification_send after its commit)."""
    from django.contrib.auth import get_user_model

    from apps.notifications.services.emails import notification_email_send

    user = get_user_model().objects.filter(pk=user_id).first()
    sent = user is not None and notification_email_send(recipient=user, title=title, body=body, link=link)
    return {"schema": connection.schema_name, "sent": int(bool(sent))}


@app.task(name="apps.notifications.tasks.notifications_digest_send")
def notifications_digest_send():
    """The daily digest of this brokerage: one e-mail per person with notices waiting."""
    from apps.notifications.services.emails import notifications_digest_send as send

    return {"schema": connection.schema_name, "sent": send()}
