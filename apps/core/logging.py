import logging

from django.db import connection

from apps.core import context


def _stamp(record):
    record.request_id = context.current().request_id
    record.schema = getattr(connection, "schema_name", "")
    return record


class RequestContextFilter(logging.Filter):
    """Adds the request id and the tenant schema to records reaching our handlers."""

    def filter(self, record):
        _stamp(record)
        return True


def install_record_factory() -> None:
    """Stamps every log record at creation, so any handler (Sentry, pytest's caplog) sees the ids."""
    base = logging.getLogRecordFactory()
    if getattr(base, "aitcore", False):
        return

    def factory(*args, **kwargs):
        return _stamp(base(*args, **kwargs))

    factory.aitcore = True
    logging.setLogRecordFactory(factory)
