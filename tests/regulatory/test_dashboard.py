"""The LDS compliance dashboard (issue 12, item 7) lists exactly the policies missing each duty, with
counts per duty, filters (line, insurer, comercial, dates), exports, a Comercial sees only its
clients' policies, and the page costs a fixed number of queries."""
import datetime
import io

import pytest
from openpyxl import load_workbook

from apps.insurance.choices import PolicyState
from apps.insurance.services.policies import policy_cancel
from apps.regulatory.choices import DeliveryChannel, EvidenceKind
from apps.regulatory.selectors_lds import ComplianceFilters, compliance_counts, missing_policies
from apps.regulatory.services.evidence import evidence_record

URL = "/regulatorio/lds/"
ANSWERS = {"cover_wanted": "Vida para la hipoteca", "priority": "price"}


def _record(actor, policy, *kinds):
    for kind in kinds:
        evidence_record(actor=actor, policy=policy, kind=kind, channel=DeliveryChannel.EMAIL,
                        answers=ANSWERS if kind == EvidenceKind.DEMANDS_NEEDS else None)


@pytest.fixture
def book(issued_policy, other_holder, admin_a):
    """complete: all four; no_ipid: all but the IPID; no_needs_pay: IPID and pre-contract only
    (admin's client, started 01/06/2026); bare: nothing (admin's client); cancelled: nothing, but
    not live, so out of scope."""
    complete = issued_policy(number="LDS-1")
    no_ipid = issued_policy(number="LDS-2")
    no_needs_pay = issued_policy(number="LDS-3", holder=other_holder, start=datetime.date(2026, 6, 1))
    bare = issued_policy(number="LDS-4", holder=other_holder)
    cancelled = issued_policy(number="LDS-5")
    _record(admin_a, complete, *EvidenceKind)
    _record(admin_a, no_ipid, EvidenceKind.PRECONTRACT, EvidenceKind.DEMANDS_NEEDS, EvidenceKind.REMUNERATION)
    _record(admin_a, no_needs_pay, EvidenceKind.IPID, EvidenceKind.PRECONTRACT)
    policy_cancel(actor=admin_a, policy=cancelled, effective_date=datetime.date(2026, 1, 1), reason="client")
    cancelled.refresh_from_db()
    assert cancelled.state == PolicyState.CANCELLED
    return {"complete": complete, "no_ipid": no_ipid, "no_needs_pay": no_needs_pay, "bare": bare}


def _numbers(queryset) -> list[str]:
    return sorted(policy.number for policy in queryset)


def test_lists_exactly_the_policies_missing_each_duty(book, admin_a):
    assert _numbers(missing_policies(admin_a)) == ["LDS-2", "LDS-3", "LDS-4"]
    expected = {"ipid": ["LDS-2", "LDS-4"], "precontract_info": ["LDS-4"],
                "demands_needs": ["LDS-3", "LDS-4"], "remuneration_disclosure": ["LDS-3", "LDS-4"]}
    for kind, numbers in expected.items():
        assert _numbers(missing_policies(admin_a, ComplianceFilters(missing=kind))) == numbers, kind
    counts = compliance_counts(admin_a)
    assert (counts["total"], counts["missing_any"], counts["compliant"]) == (4, 3, 1)
    assert {item["kind"]: item["missing"] for item in counts["by_kind"]} == {k: len(v) for k, v in expected.items()}


def test_filters_by_comercial_and_dates(book, admin_a, users_a):
    mine = ComplianceFilters(manager=users_a["comercial"])
    assert _numbers(missing_policies(admin_a, mine)) == ["LDS-2"]
    june = ComplianceFilters(date_from=datetime.date(2026, 6, 1), date_to=datetime.date(2026, 6, 30))
    assert _numbers(missing_policies(admin_a, june)) == ["LDS-3"]
    assert compliance_counts(admin_a, june)["total"] == 1


def test_page_counts_rows_and_exports(book, client_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = client_a.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="lds-missing-any">3<' in html and 'id="lds-total">4<' in html
    for number in ("LDS-2", "LDS-3", "LDS-4"):
        assert f'data-policy="{number}"' in html
    assert 'data-policy="LDS-1"' not in html and 'data-policy="LDS-5"' not in html
    only_ipid = client_a.get(URL + "?falta=ipid").content.decode()
    assert 'data-policy="LDS-2"' in only_ipid and 'data-policy="LDS-3"' not in only_ipid
    csv_text = b"".join(client_a.get(URL + "?falta=demands_needs&export=csv").streaming_content).decode("utf-8-sig")
    lines = [line for line in csv_text.splitlines() if line]
    assert lines[0].startswith("Póliza;Compañía;Ramo") and len(lines) == 3
    assert {line.split(";")[0] for line in lines[1:]} == {"LDS-3", "LDS-4"}
    xlsx = client_a.get(URL + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["LDS-2", "LDS-3", "LDS-4"]


def test_query_count_does_not_grow_with_rows(book, issued_policy, client_a, django_assert_max_num_queries):
    for n in range(10):
        issued_policy(number=f"LDS-X{n}")
    with django_assert_max_num_queries(20):
        assert client_a.get(URL).status_code == 200


def test_comercial_sees_only_its_clients_and_others_are_refused(book, client_for):
    html = client_for("comercial").get(URL).content.decode()
    assert 'data-policy="LDS-2"' in html and 'data-policy="LDS-3"' not in html and 'data-policy="LDS-4"' not in html
    assert client_for("contabilidad").get(URL).status_code == 200
    assert client_for("rrhh").get(URL).status_code == 403


def test_api_compliance(book, client_a):
    data = client_a.get("/api/v1/regulatory/compliance/?missing=ipid").json()
    assert sorted(row["number"] for row in data["results"]) == ["LDS-2", "LDS-4"]
    assert data["counts"]["missing_any"] == 3
    assert {row["number"]: row["missing"] for row in data["results"]}["LDS-2"] == ["ipid"]
