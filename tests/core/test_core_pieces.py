from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from apps.core import events
from apps.core.money import format_eur, to_money


def test_money_is_decimal_rounded_half_up_and_spanish_formatted():
    assert to_money("2.345") == Decimal("2.35") and to_money("-2.345") == Decimal("-2.35")
    assert format_eur(Decimal("1234567.5")) == "1.234.567,50 €"
    assert format_eur("-0.5") == "-0,50 €"
    with pytest.raises(TypeError):
        to_money(0.1)


def test_domain_events_are_delivered_after_commit_only(tenant_a, django_capture_on_commit_callbacks):
    seen = []
    events.subscribe("probe.happened", lambda name, payload: seen.append(payload))
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("probe.happened", pk=7)
    assert seen == [{"pk": 7, "schema": "alfa"}]
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                events.publish("probe.happened", pk=8)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert seen == [{"pk": 7, "schema": "alfa"}]


def test_files_are_stored_under_the_brokerage_schema(tenant_a):
    name = default_storage.save("documentos/poliza.txt", ContentFile(b"poliza 1234"))
    try:
        assert name.startswith("alfa/documentos/poliza")
        assert default_storage.open(name).read() == b"poliza 1234"
    finally:
        default_storage.delete(name)
