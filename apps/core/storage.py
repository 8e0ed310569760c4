"""File storage whose paths carry the brokerage's schema, local or S3/MinIO."""
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection


def _tenant_prefix(name: str) -> str:
    schema = getattr(connection, "schema_name", "public") or "public"
    return name if name.startswith(f"{schema}/") else f"{schema}/{name}"


class TenantFileSystemStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("location", settings.MEDIA_ROOT)
        kwargs.setdefault("base_url", settings.MEDIA_URL)
        super().__init__(**kwargs)

    def get_available_name(self, name, max_length=None):
        return super().get_available_name(_tenant_prefix(name), max_length)


def _s3_storage_class():
    from storages.backends.s3 import S3Storage

    class TenantS3Storage(S3Storage):
        def get_available_name(self, name, max_length=None):
            return super().get_available_name(_tenant_prefix(name), max_length)

    return TenantS3Storage


def __getattr__(name):
    # boto3 is imported only when S3 is configured.
    if name == "TenantS3Storage":
        return _s3_storage_class()
    raise AttributeError(name)
