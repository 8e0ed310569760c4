from django_tenants.utils import schema_context

from aitcore.celery import app
from apps.tenancy.selectors import active_schemas


@app.task(name="apps.tenancy.tasks.fan_out")
def fan_out(task_name: str, *args):
    """Beat schedules this in the public schema; it sends `task_name` once per active brokerage."""
    schemas = active_schemas()
    for schema in schemas:
        with schema_context(schema):
            app.send_task(task_name, args=args)
    return schemas
