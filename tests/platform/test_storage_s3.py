"""apps.core.storage on S3 against a real S3-protocol server on this machine (moto's server
mode), so the django-storages and boto3 code really runs: tenant prefixes, encryption at
rest, no overwrite, presigned download URLs."""
import hashlib
import hmac
import socket
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import boto3
import httpx
import pytest
from botocore.config import Config
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django_tenants.utils import schema_context
from moto.server import ThreadedMotoServer

from apps.core.storage import presigned_url

BUCKET = "aitcore-test-documents"
REGION = "eu-south-2"
KEY_ID, SECRET = "testing-key", "testing-secret"
CRAFTED_NAMES = [
    "beta/documentos/secreto.pdf",
    "../beta/documentos/secreto.pdf",
    "alfa/../beta/documentos/secreto.pdf",
    "/beta/documentos/secreto.pdf",
    "alfa/./../beta/documentos/secreto.pdf",
    "alfa\\..\\beta\\documentos\\secreto.pdf",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="module")
def s3_client(s3_endpoint):
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name=REGION, aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET, config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    return client


@pytest.fixture
def s3_storage(s3_endpoint, s3_client):
    """The default storage is TenantS3Storage on the local server, configured as base.py does."""
    with override_settings(
        STORAGES={"default": {"BACKEND": "apps.core.storage.TenantS3Storage"},
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        AWS_STORAGE_BUCKET_NAME=BUCKET, AWS_S3_ENDPOINT_URL=s3_endpoint, AWS_S3_PUBLIC_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME=REGION,
        AWS_S3_ACCESS_KEY_ID=KEY_ID, AWS_S3_SECRET_ACCESS_KEY=SECRET, AWS_S3_ADDRESSING_STYLE="path",
        AWS_S3_SIGNATURE_VERSION="s3v4", AWS_DEFAULT_ACL=None, AWS_QUERYSTRING_AUTH=True,
        AWS_S3_FILE_OVERWRITE=False, AWS_S3_OBJECT_PARAMETERS={"ServerSideEncryption": "AES256"},
        DOCUMENTS_URL_SECONDS=300,
    ):
        yield default_storage


def _keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_save_open_delete_in_alfa_stays_under_alfa(tenant_a, s3_storage, s3_client):
    name = s3_storage.save("documentos/poliza.pdf", ContentFile(b"%PDF-1.7 alfa"))

    assert name.startswith("alfa/documentos/poliza")
    assert name in _keys(s3_client)
    assert s3_storage.exists(name) and s3_storage.exists("documentos/" + name.rsplit("/", 1)[1])
    with s3_storage.open(name) as handle:
        assert handle.read() == b"%PDF-1.7 alfa"
    assert s3_storage.size(name) == len(b"%PDF-1.7 alfa")

    s3_storage.delete(name)
    assert name not in _keys(s3_client)
    assert not s3_storage.exists(name)


def test_objects_are_encrypted_private_and_never_overwritten(tenant_a, s3_storage, s3_client):
    first = s3_storage.save("recibos/r.pdf", ContentFile(b"uno"))
    second = s3_storage.save("recibos/r.pdf", ContentFile(b"dos"))

    assert first != second and second.startswith("alfa/recibos/r_")
    head = s3_client.head_object(Bucket=BUCKET, Key=first)
    assert head["ServerSideEncryption"] == "AES256"
    grants = s3_client.get_object_acl(Bucket=BUCKET, Key=first)["Grants"]
    assert not [g for g in grants if "URI" in g["Grantee"]], grants  # no AllUsers / AuthenticatedUsers
    assert s3_client.get_object(Bucket=BUCKET, Key=first)["Body"].read() == b"uno"


def test_a_beta_file_is_out_of_reach_from_alfa(tenant_a, tenant_b, s3_storage, s3_client):
    with schema_context(tenant_b.schema_name):
        beta_name = s3_storage.save("documentos/secreto.pdf", ContentFile(b"beta"))
    assert beta_name == "beta/documentos/secreto.pdf"

    for crafted in CRAFTED_NAMES:
        try:
            assert not s3_storage.exists(crafted), crafted
        except SuspiciousFileOperation:
            pass
        with pytest.raises((SuspiciousFileOperation, FileNotFoundError)):
            s3_storage.open(crafted)
        try:
            s3_storage.delete(crafted)
        except SuspiciousFileOperation:
            pass
        try:
            assert urlsplit(s3_storage.url(crafted)).path.startswith(f"/{BUCKET}/alfa/"), crafted
        except SuspiciousFileOperation:
            pass
    # A name starting with another schema is simply a folder inside alfa.
    assert s3_storage.save("beta/documentos/secreto.pdf", ContentFile(b"alfa")).startswith("alfa/beta/")
    assert s3_client.get_object(Bucket=BUCKET, Key=beta_name)["Body"].read() == b"beta"


@pytest.mark.parametrize("crafted", CRAFTED_NAMES)
def test_presigned_url_of_a_crafted_name_never_signs_beta_keys(tenant_a, s3_storage, crafted):
    try:
        url = presigned_url(crafted, filename="x.pdf", seconds=60)
    except SuspiciousFileOperation:
        return
    assert urlsplit(url).path.startswith(f"/{BUCKET}/alfa/")


def test_presigned_url_downloads_as_attachment(tenant_a, s3_storage):
    name = s3_storage.save("documentos/dni.pdf", ContentFile(b"%PDF dni"))

    url = presigned_url(name, filename="DNI Martínez.pdf", seconds=60)

    query = dict(parse_qsl(urlsplit(url).query))
    assert urlsplit(url).path == f"/{BUCKET}/{name}"
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256" and query["X-Amz-Expires"] == "60"
    response = httpx.get(url)
    assert response.status_code == 200 and response.content == b"%PDF dni"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''DNI%20Mart%C3%ADnez.pdf" in disposition


def test_presigned_url_default_expiry_comes_from_the_setting(tenant_a, s3_storage, settings):
    settings.DOCUMENTS_URL_SECONDS = 123
    url = presigned_url("alfa/documentos/x.pdf", filename="x.pdf")
    assert dict(parse_qsl(urlsplit(url).query))["X-Amz-Expires"] == "123"


def test_presigned_url_uses_the_public_endpoint(tenant_a, s3_storage, s3_endpoint, settings):
    name = s3_storage.save("documentos/publico.pdf", ContentFile(b"%PDF publico"))
    public = s3_endpoint.replace("127.0.0.1", "localhost")
    settings.AWS_S3_PUBLIC_ENDPOINT_URL = public

    url = presigned_url(name, filename="publico.pdf", seconds=60)

    assert url.startswith(f"{public}/{BUCKET}/alfa/")
    assert httpx.get(url).content == b"%PDF publico"


def test_internal_only_endpoint_gives_no_presigned_url(tenant_a, s3_storage, settings):
    """Signed for http://minio:9000 a URL is useless to a browser; the caller streams instead."""
    settings.AWS_S3_PUBLIC_ENDPOINT_URL = None
    assert presigned_url("alfa/documentos/x.pdf", filename="x.pdf", seconds=60) is None


def _sigv4_signature(url: str) -> str:
    """The SigV4 query signature S3 expects for `url` (everything but X-Amz-Signature is signed)."""
    parts = urlsplit(url)
    params = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "X-Amz-Signature")
    canonical_query = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in params)
    canonical = "\n".join(["GET", parts.path, canonical_query, f"host:{parts.netloc}", "", "host", "UNSIGNED-PAYLOAD"])
    query = dict(params)
    scope = query["X-Amz-Credential"].split("/", 1)[1]
    to_sign = "\n".join(["AWS4-HMAC-SHA256", query["X-Amz-Date"], scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + SECRET).encode()
    for part in scope.split("/"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def _with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def test_presigned_url_expires(tenant_a, s3_storage):
    """moto's server does not enforce X-Amz-Expires (it answers 200 after expiry), so past the
    download within the window this checks the rule S3 applies (X-Amz-Date + X-Amz-Expires) and
    that the expiry is bound by the signature, so it cannot be stretched."""
    name = s3_storage.save("documentos/caduca.pdf", ContentFile(b"%PDF caduca"))
    url = presigned_url(name, filename="caduca.pdf", seconds=1)
    assert httpx.get(url).status_code == 200

    query = dict(parse_qsl(urlsplit(url).query))
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    assert abs(datetime.now(timezone.utc) - signed_at) < timedelta(seconds=30)
    assert query["X-Amz-Signature"] == _sigv4_signature(url)
    stretched = _with_param(url, "X-Amz-Expires", "604800")
    assert dict(parse_qsl(urlsplit(stretched).query))["X-Amz-Signature"] != _sigv4_signature(stretched)

    time.sleep(2)
    assert datetime.now(timezone.utc) > signed_at + timedelta(seconds=int(query["X-Amz-Expires"]))
