"""Run inputs as JSON and the idempotency key of a run."""
import hashlib
import json

from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Model, QuerySet


def _plain(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, QuerySet):
        return [obj.pk for obj in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not isinstance(v, UploadedFile)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def form_params(cleaned_data: dict) -> dict:
    """cleaned_data as JSON-compatible params: model choices -> ids, dates ISO, Decimal strings, files dropped."""
    plain = {k: _plain(v) for k, v in cleaned_data.items() if not isinstance(v, UploadedFile)}
    return json.loads(json.dumps(plain, cls=DjangoJSONEncoder))


def canonical(params: dict) -> str:
    return json.dumps(params, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))


def data_fingerprint() -> str:
    """What the actuarial and statistics engines read: policies, versions, claims, payments, reserves (count,
    last id, last change). Same fingerprint = same data, so an active run with the same inputs is reused."""
    from apps.claims.models import Claim, ClaimPayment, ReserveChange
    from apps.insurance.models import Policy, PolicyVersion

    parts = []
    with connection.cursor() as cursor:
        for model, stamp in ((Policy, "updated_at"), (PolicyVersion, None), (Claim, "updated_at"),
                             (ClaimPayment, None), (ReserveChange, None)):
            extra = f", MAX({stamp})" if stamp else ""
            cursor.execute(f"SELECT COUNT(*), MAX(id){extra} FROM {model._meta.db_table}")
            parts.append(repr(cursor.fetchone()))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def run_key(engine_key: str, params: dict, fingerprint: str) -> str:
    return hashlib.sha256(f"{connection.schema_name}|{engine_key}|{canonical(params)}|{fingerprint}".encode()).hexdigest()
