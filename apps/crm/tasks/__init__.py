"""Celery discovers `apps.crm.tasks`; importing the area modules registers their tasks."""
from apps.crm.tasks import campaigns, reminders  # noqa: F401
