"""Activity reminder tasks (beat "crm-activity-reminders" fans this out to every brokerage)."""
from django.db import connection

from aitcore.celery import app
from apps.crm.services.activities import activity_reminders_send as send_overdue_reminders


@app.task(name="apps.crm.tasks.activity_reminders_send")
def activity_reminders_send():
    """Notifies the owners of overdue activities, once per activity."""
    return {"schema": connection.schema_name, "sent": send_overdue_reminders()}
