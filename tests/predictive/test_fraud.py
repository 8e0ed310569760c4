"""Claim fraud indicators: a claim 10 days after the policy's start, for 25.000 € where the line's claims
are about 1.000 €, by a client with two more claims that year, reported 45 days late, scores high with those
reasons; an ordinary claim scores low."""
import datetime
from decimal import Decimal

import pytest

from apps.claims.models import Claim
from apps.predictive.errors import EngineInputError
from apps.predictive.models import Score
from apps.predictive.services.fraud import fraud_score
from tests.conftest import host_client
from tests.predictive.conftest import _party, _policy


def _claim(n, policy, loss, *, reported=None, reserve="1000.00"):
    return Claim.objects.create(number=f"S-T2-{n:04d}", policy=policy, insurer=policy.insurer, line=policy.line,
                                policyholder=policy.policyholder, loss_date=loss, reported_date=reported or loss,
                                cause="water", coverage_code="AGUA", description="Fuga de agua",
                                reserve=Decimal(reserve))


@pytest.fixture
def claims(products, admin_a):
    home = products[1]
    ordinary = []
    for n in range(12):
        party = _party(500 + n)
        policy = _policy(500 + n, home, party, start=datetime.date(2025, 1, 1), state="in_force")
        ordinary.append(_claim(n, policy, datetime.date(2025, 3 + n % 9, 10),
                               reserve=f"{900 + 20 * n}.00"))
    suspect_party = _party(600)
    old = _policy(600, home, suspect_party, start=datetime.date(2025, 1, 1), state="in_force")
    _claim(100, old, datetime.date(2025, 4, 2))
    _claim(101, old, datetime.date(2025, 8, 20))
    new = _policy(601, home, suspect_party, start=datetime.date(2025, 11, 1), state="in_force")
    suspect = _claim(102, new, datetime.date(2025, 11, 11), reported=datetime.date(2025, 12, 26),
                     reserve="25000.00")
    return {"ordinary": ordinary, "suspect": suspect}


def test_suspect_claim_scores_high_with_its_reasons(claims, admin_a):
    version = fraud_score(actor=admin_a)
    suspect = Score.objects.get(model_version=version, object_id=claims["suspect"].pk)
    assert suspect.score >= 0.9
    text = " ".join(suspect.reasons)
    assert "Ocurrido 10 días después del efecto" in text
    assert "Declarado 45 días después de ocurrir" in text
    assert "25.000,00 € muy por encima de lo habitual" in text
    assert "2 siniestros más en los 12 meses anteriores" in text
    assert Score.objects.filter(model_version=version).order_by("-score").first().pk == suspect.pk
    ordinary = Score.objects.get(model_version=version, object_id=claims["ordinary"][5].pk)
    assert ordinary.score < 0.3 and ordinary.reasons == []
    assert version.metrics["claims"] == 15


def test_no_claims_to_score(tenant_a, admin_a):
    with pytest.raises(EngineInputError, match="No hay siniestros"):
        fraud_score(actor=admin_a)


def test_claim_page_shows_the_fraud_panel_to_siniestros_only(claims, admin_a, tenants, users_a):
    fraud_score(actor=admin_a)
    url = f"/siniestros/{claims['suspect'].pk}/"
    page = host_client(tenants.alfa_host, users_a["siniestros"]).get(url).content.decode()
    assert "Indicios de fraude" in page and f"/prediccion/panel/fraud/{claims['suspect'].pk}/" in page
    body = host_client(tenants.alfa_host, users_a["siniestros"]).get(
        f"/prediccion/panel/fraud/{claims['suspect'].pk}/").content.decode()
    assert "Declarado 45 días después de ocurrir" in body
    assert "Indicios de fraude" in host_client(tenants.alfa_host, users_a["direccion"]).get(url).content.decode()
    assert "/prediccion/panel/fraud/" not in host_client(tenants.alfa_host, users_a["contabilidad"]).get(
        url).content.decode()
