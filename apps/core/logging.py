import logging

from django.db import connection

from apps.core import context


class RequestContextFilter(logging.Filter):
    """Adds the request id and the tenant schema to every log record."""

    def filter(self, record):
        record.request_id = context.current().request_id
        record.schema = getattr(connection, "schema_name", "")
        return True
