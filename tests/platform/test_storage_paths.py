"""Tenant keys of apps.core.storage, the filesystem backend, and the backend chosen by settings."""
import json
import posixpath
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django_tenants.utils import schema_context
from hypothesis import given
from hypothesis import strategies as st

from apps.core.storage import presigned_url, tenant_key
from tests.platform.production import production_env
from tests.platform.test_storage_s3 import CRAFTED_NAMES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("name", "key"), [
    ("documentos/a.pdf", "alfa/documentos/a.pdf"),
    ("alfa/documentos/a.pdf", "alfa/documentos/a.pdf"),
    ("beta/documentos/a.pdf", "alfa/beta/documentos/a.pdf"),
    ("alfa2/a.pdf", "alfa/alfa2/a.pdf"),
    ("./documentos//a.pdf", "alfa/documentos/a.pdf"),
    ("alfa/alfa/a.pdf", "alfa/alfa/a.pdf"),
])
def test_tenant_key_puts_every_name_under_the_schema(name, key):
    assert tenant_key(name, "alfa") == key
    assert tenant_key(key, "alfa") == key  # stored keys resolve to themselves


@pytest.mark.parametrize("name", CRAFTED_NAMES[1:] + ["..", "a/../../b", "ok\x00.pdf", "\\beta\\x.pdf"])
def test_tenant_key_refuses_names_that_climb(name):
    with pytest.raises(SuspiciousFileOperation):
        tenant_key(name, "alfa")


_PIECES = st.sampled_from(["a", "x", ".", "..", "/", "\\", "\x00", "alfa", "beta", " ", "%2e"])


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_no_name_resolves_outside_the_prefix(name):
    try:
        key = tenant_key(name, "alfa")
    except SuspiciousFileOperation:
        return
    assert key == "alfa" or key.startswith("alfa/")
    assert posixpath.normpath(key).split("/")[0] == "alfa"
    assert ".." not in key.split("/")


@pytest.fixture
def fs_storage(tmp_path):
    with override_settings(
        STORAGES={"default": {"BACKEND": "apps.core.storage.TenantFileSystemStorage"},
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        MEDIA_ROOT=tmp_path,
    ):
        yield default_storage


def test_filesystem_keeps_tenants_apart(tenant_a, tenant_b, fs_storage, tmp_path):
    with schema_context(tenant_b.schema_name):
        beta_name = fs_storage.save("documentos/secreto.pdf", ContentFile(b"beta"))
    name = fs_storage.save("documentos/poliza.pdf", ContentFile(b"alfa"))

    assert name == "alfa/documentos/poliza.pdf" and (tmp_path / name).read_bytes() == b"alfa"
    assert fs_storage.path(name) == str(tmp_path / name)
    for crafted in CRAFTED_NAMES:
        try:
            assert not fs_storage.exists(crafted), crafted
        except SuspiciousFileOperation:
            pass
        with pytest.raises((SuspiciousFileOperation, FileNotFoundError)):
            fs_storage.open(crafted)
        try:
            fs_storage.delete(crafted)
        except SuspiciousFileOperation:
            pass
    assert (tmp_path / beta_name).read_bytes() == b"beta"


def test_filesystem_has_no_presigned_urls(tenant_a, fs_storage):
    assert presigned_url("alfa/documentos/poliza.pdf", filename="poliza.pdf", seconds=60) is None
    with pytest.raises(SuspiciousFileOperation):
        presigned_url("alfa/../beta/documentos/secreto.pdf", filename="x.pdf", seconds=60)


# --- Which backend the settings pick -----------------------------------------------------------

_PRINT_STORAGE = (
    "import json; from django.conf import settings as s; print(json.dumps({'backend': s.STORAGES['default']"
    "['BACKEND'], 'params': getattr(s, 'AWS_S3_OBJECT_PARAMETERS', None), 'overwrite': getattr(s, "
    "'AWS_S3_FILE_OVERWRITE', None), 'acl': getattr(s, 'AWS_DEFAULT_ACL', 'unset'), 'signature': getattr(s, "
    "'AWS_S3_SIGNATURE_VERSION', None), 'expire': getattr(s, 'AWS_QUERYSTRING_EXPIRE', None)}))"
)


def _settings_of(module: str, **env: str) -> subprocess.CompletedProcess:
    base = production_env(DJANGO_SETTINGS_MODULE=module, **env)
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); " + _PRINT_STORAGE],
                          cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


def test_production_with_a_bucket_uses_s3_with_encryption():
    result = _settings_of("aitcore.settings.production", AWS_STORAGE_BUCKET_NAME="aitcore-prod")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "backend": "apps.core.storage.TenantS3Storage", "params": {"ServerSideEncryption": "AES256"},
        "overwrite": False, "acl": None, "signature": "s3v4", "expire": 300,
    }


def test_kms_key_switches_encryption_to_kms():
    result = _settings_of("aitcore.settings.production", AWS_STORAGE_BUCKET_NAME="aitcore-prod",
                          AWS_S3_SSE_KMS_KEY_ID="arn:aws:kms:eu-south-2:1:key/k", DOCUMENTS_URL_SECONDS="90")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.splitlines()[-1])
    assert shown["params"] == {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "arn:aws:kms:eu-south-2:1:key/k"}
    assert shown["expire"] == 90


def test_without_a_bucket_files_stay_on_the_filesystem():
    result = _settings_of("aitcore.settings.production")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["backend"] == "apps.core.storage.TenantFileSystemStorage"


def test_s3_backend_without_a_bucket_is_refused():
    result = _settings_of("aitcore.settings.production", STORAGE_BACKEND="s3")
    assert result.returncode != 0 and "STORAGE_BACKEND" in result.stderr
