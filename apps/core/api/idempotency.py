"""Idempotency-Key on POST: a retried create returns the first answer instead of creating twice."""
import hashlib
import json

from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.response import Response

from apps.core.api.problems import problem_body
from apps.core.models import IdempotencyRecord
from django.utils.translation import gettext as _

HEADER = "HTTP_IDEMPOTENCY_KEY"


def _request_hash(request) -> str:
    return hashlib.sha256(json.dumps(request.data, sort_keys=True, default=str).encode()).hexdigest()


def _replay(record: IdempotencyRecord, request_hash: str) -> Response:
    if record.request_hash != request_hash:
        body = problem_body(
            422, _("La clave de idempotencia ya se usó con otro contenido; use una clave nueva para otra operación."),
            code="idempotency_key_reused",
        )
        return Response(body, status=422, content_type="application/problem+json")
    response = Response(record.response_body, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(create):
    """Wraps a ViewSet.create; the create and the stored answer commit together."""

    def wrapper(self, request, *args, **kwargs):
        key = request.META.get(HEADER, "").strip()
        if not key:
            return create(self, request, *args, **kwargs)
        if len(key) > 255:
            body = problem_body(400, _("La cabecera Idempotency-Key admite 255 caracteres como máximo."), code="idempotency_key_too_long")
            return Response(body, status=400, content_type="application/problem+json")
        lookup = {"key": key, "user_id": getattr(request.user, "pk", None), "path": request.path[:500]}
        request_hash = _request_hash(request)
        existing = IdempotencyRecord.objects.filter(**lookup).first()
        if existing:
            return _replay(existing, request_hash)
        try:
            with transaction.atomic():
                response = create(self, request, *args, **kwargs)
                if status.is_success(response.status_code):
                    IdempotencyRecord.objects.create(
                        **lookup, request_hash=request_hash, status_code=response.status_code,
                        response_body=json.loads(json.dumps(response.data, default=str)),
                    )
        except IntegrityError:
            # A concurrent retry with the same key won the race: answer what it stored.
            return _replay(IdempotencyRecord.objects.get(**lookup), request_hash)
        return response

    wrapper.__name__ = create.__name__
    wrapper.__doc__ = create.__doc__
    return wrapper
