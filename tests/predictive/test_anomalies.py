"""Anomaly detection on the journal flags a planted outlier: 95.000 € through a rare pair of accounts,
posted on a Sunday at 03:10, among 48 ordinary entries of 100-1.500 € posted on working days."""
import datetime
import random
from zoneinfo import ZoneInfo

import pytest

from apps.accounting.models import Entry
from apps.accounting.services import LineSpec, entry_post, fiscal_year_for_calendar_year
from apps.predictive.engines import compute_anomalies
from apps.predictive.errors import EngineInputError
from apps.predictive.models import Score
from apps.predictive.services.anomalies import anomalies_detect
from tests.conftest import host_client

MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture
def journal(tenant_a, admin_a):
    fiscal_year_for_calendar_year(actor=admin_a, year=2026)
    rng = random.Random(3)
    ordinary = []
    for i in range(48):
        day = datetime.date(2026, 1 + i % 11, 1 + i % 27)
        if i % 2:
            amount = f"{rng.uniform(900, 1500):.2f}"
            lines = [LineSpec("572", debit=amount), LineSpec("4300", credit=amount)]
        else:
            base = rng.uniform(100, 300)
            lines = [LineSpec("4300", debit=f"{base * 1.21:.2f}"), LineSpec("705", credit=f"{base:.2f}"),
                     LineSpec("477", credit=f"{base * 1.21 - round(base, 2):.2f}")]
        entry = entry_post(actor=admin_a, date=day, description=f"Operación {i}", lines=lines)
        # posted on a working day at 10:00-17:00 Madrid time
        posted = datetime.datetime(2026, 3, 2 + i % 5, 10 + i % 8, 15, tzinfo=MADRID)
        Entry.objects.filter(pk=entry.pk).update(posted_at=posted)
        ordinary.append(entry)
    planted = entry_post(actor=admin_a, date=datetime.date(2026, 6, 14), description="Traspaso",
                         lines=[LineSpec("572", debit="95000.00"), LineSpec("705", credit="95000.00")])
    Entry.objects.filter(pk=planted.pk).update(posted_at=datetime.datetime(2026, 6, 14, 3, 10, tzinfo=MADRID))
    return {"ordinary": ordinary, "planted": planted}


def test_planted_outlier_is_the_top_anomaly_with_its_reasons(journal, admin_a):
    version = anomalies_detect(actor=admin_a)
    scores = list(Score.objects.filter(model_version=version).order_by("-score"))
    assert len(scores) == 49
    top = scores[0]
    assert top.object_id == journal["planted"].pk
    assert top.score >= 0.8 and scores[1].score < 0.5
    text = " ".join(top.reasons)
    assert "Importe atípico en la cuenta" in text and "95.000,00 €" in text
    assert "Pareja de cuentas poco habitual: 572 / 705" in text
    assert "Contabilizado de noche (03:10)" in text and "fin de semana (14/06/2026)" in text
    assert version.metrics["entries"] == 49 and version.metrics["flagged"] >= 1


def test_a_date_range_with_no_entries_or_too_few(journal, admin_a):
    with pytest.raises(EngineInputError, match="No hay asientos"):
        anomalies_detect(actor=admin_a, date_from=datetime.date(2020, 1, 1), date_to=datetime.date(2020, 12, 31))
    with pytest.raises(EngineInputError, match="se necesitan al menos 30"):
        anomalies_detect(actor=admin_a, date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 2, 28))


def test_anomaly_engine_result(journal, admin_a):
    result = compute_anomalies(params={"date_from": "2026-01-01", "date_to": "2026-12-31"},
                               progress=lambda *a, **k: None, actor=admin_a)
    assert result["tables"][0]["rows"][0][0] == f"{journal['planted'].fiscal_year.name}/{journal['planted'].number}"


def test_entry_page_shows_the_anomaly_panel_to_contabilidad(journal, admin_a, tenants, users_a):
    anomalies_detect(actor=admin_a)
    planted = journal["planted"]
    client = host_client(tenants.alfa_host, users_a["contabilidad"])
    page = client.get(f"/contabilidad/asientos/{planted.pk}/").content.decode()
    assert "Anomalías del asiento" in page and f"/prediccion/panel/anomaly/{planted.pk}/" in page
    body = client.get(f"/prediccion/panel/anomaly/{planted.pk}/").content.decode()
    assert "Pareja de cuentas poco habitual: 572 / 705" in body
