"""File storage whose keys live under the brokerage's schema, local or S3/MinIO.

Every name a storage method receives is resolved by `tenant_key` to "<schema>/<path>" of the
schema active on the connection. A name that already starts with the current schema is taken
as a stored key; any other name (including one starting with another schema) is placed under
the current schema, and names that try to climb ("..", absolute paths, NUL bytes) are refused
with SuspiciousFileOperation. So no crafted name reaches another tenant's prefix.
"""
import functools
import posixpath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.utils.http import content_disposition_header


def current_schema() -> str:
    return getattr(connection, "schema_name", "public") or "public"


def tenant_key(name, schema: str | None = None) -> str:
    """The key of `name` inside `schema` (default: the connection's), or SuspiciousFileOperation."""
    schema = schema or current_schema()
    raw = str(name or "")
    if "\x00" in raw:
        raise SuspiciousFileOperation("Nombre de fichero con caracteres no válidos.")
    path = raw.replace("\\", "/")
    if path.startswith("/"):
        raise SuspiciousFileOperation(f"Ruta absoluta no permitida: {raw!r}")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise SuspiciousFileOperation(f"Ruta con '..' no permitida: {raw!r}")
    if parts and parts[0] == schema:
        parts = parts[1:]
    if not parts:
        return schema
    return posixpath.join(schema, *parts)


class _TenantKeysMixin:
    """Resolves every name through tenant_key before the backend sees it."""

    def get_available_name(self, name, max_length=None):
        return super().get_available_name(tenant_key(name), max_length)

    def _open(self, name, mode="rb"):
        return super()._open(tenant_key(name), mode)

    def _save(self, name, content):
        return super()._save(tenant_key(name), content)

    def exists(self, name):
        return super().exists(tenant_key(name))

    def delete(self, name):
        return super().delete(tenant_key(name))

    def size(self, name):
        return super().size(tenant_key(name))

    def url(self, name, *args, **kwargs):
        return super().url(tenant_key(name), *args, **kwargs)

    def listdir(self, path):
        return super().listdir(tenant_key(path))

    def get_modified_time(self, name):
        return super().get_modified_time(tenant_key(name))


class TenantFileSystemStorage(_TenantKeysMixin, FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("location", settings.MEDIA_ROOT)
        kwargs.setdefault("base_url", settings.MEDIA_URL)
        super().__init__(**kwargs)

    def path(self, name):
        return super().path(tenant_key(name))

    def get_accessed_time(self, name):
        return super().get_accessed_time(tenant_key(name))

    def get_created_time(self, name):
        return super().get_created_time(tenant_key(name))

    def presigned_url(self, name, *, filename, seconds):
        tenant_key(name)  # refuse an escaping name here too
        return None


@functools.cache
def _s3_storage_class():
    from storages.backends.s3 import S3Storage

    class TenantS3Storage(_TenantKeysMixin, S3Storage):
        _public_storage = None

        def _signing_client(self):
            """The client whose endpoint browsers reach; None for an internal-only endpoint.

            A SigV4 URL is bound to its host, so a URL signed for http://minio:9000 cannot be
            rewritten later: AWS_S3_PUBLIC_ENDPOINT_URL names the public address of MinIO.
            """
            public = getattr(settings, "AWS_S3_PUBLIC_ENDPOINT_URL", "") or None
            if not public:
                return None if self.endpoint_url else self.connection.meta.client
            if public == self.endpoint_url:
                return self.connection.meta.client
            if self._public_storage is None:
                self._public_storage = type(self)(endpoint_url=public)
            return self._public_storage.connection.meta.client

        def presigned_url(self, name, *, filename, seconds):
            key = tenant_key(name)
            client = self._signing_client()
            if client is None:
                return None
            params = {
                "Bucket": self.bucket_name,
                "Key": key,
                "ResponseContentDisposition": content_disposition_header(True, filename),
            }
            # Always signed, even if AWS_QUERYSTRING_AUTH is off for other URLs.
            return client.generate_presigned_url("get_object", Params=params, ExpiresIn=int(seconds))

    TenantS3Storage.__module__ = __name__
    TenantS3Storage.__qualname__ = "TenantS3Storage"
    return TenantS3Storage


def presigned_url(name: str, *, filename: str, seconds: int | None = None) -> str | None:
    """A temporary download URL for `name` in the current tenant, or None.

    The URL answers the object as an attachment called `filename` and stops working after
    `seconds` (default settings.DOCUMENTS_URL_SECONDS). None on the filesystem backend and on
    an S3 endpoint browsers cannot reach (AWS_S3_ENDPOINT_URL set, AWS_S3_PUBLIC_ENDPOINT_URL
    not): callers then stream the file themselves.
    """
    if seconds is None:
        seconds = getattr(settings, "DOCUMENTS_URL_SECONDS", 300)
    make_url = getattr(default_storage, "presigned_url", None)
    if make_url is None:
        tenant_key(name)
        return None
    return make_url(name, filename=filename, seconds=seconds)


def __getattr__(name):
    # boto3 is imported only when S3 is configured.
    if name == "TenantS3Storage":
        return _s3_storage_class()
    raise AttributeError(name)
