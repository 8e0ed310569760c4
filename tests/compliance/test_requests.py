"""Data subject requests (issue 12 item 5): one month from reception, extendable once by two more with a reason
within the first month (art. 12.3 RGPD); access attaches the CRM export; erasure is refused while the law keeps
the data (here: a legal hold) and the refusal is audited."""
import datetime

import pytest

from apps.audit.models import AuditEvent
from apps.compliance.choices import RequestKind, RequestState
from apps.compliance.errors import ComplianceError
from apps.compliance.services.holds import legal_hold_place
from apps.compliance.services.requests import (
    dsr_close, dsr_create, dsr_erase, dsr_export, dsr_extend, dsr_start,
)
from apps.documents.models import Document


def _request(admin, party, received, kind=RequestKind.ACCESS):
    return dsr_create(actor=admin, kind=kind, party=party, received_on=received, handler=admin)


def test_deadline_is_one_month_from_reception(person, admin_a):
    party = person()
    case = _request(admin_a, party, datetime.date(2026, 3, 15))
    assert case.deadline == datetime.date(2026, 4, 15)
    assert case.number.startswith("SD-2026-")
    # A month without that day ends on its last day.
    assert _request(admin_a, party, datetime.date(2026, 1, 31)).deadline == datetime.date(2026, 2, 28)


def test_extension_adds_two_months_with_a_reason(person, admin_a):
    case = _request(admin_a, person(), datetime.date(2026, 3, 15))
    with pytest.raises(ComplianceError) as exc:
        dsr_extend(actor=admin_a, request=case, reason="  ", today=datetime.date(2026, 4, 1))
    assert exc.value.code == "compliance_dsr_extension_reason"
    case = dsr_extend(actor=admin_a, request=case, reason="Más de 40 solicitudes este mes",
                      today=datetime.date(2026, 4, 1))
    assert case.extended_deadline == datetime.date(2026, 6, 15)
    assert case.due_date == datetime.date(2026, 6, 15)
    assert case.state == RequestState.IN_PROGRESS
    with pytest.raises(ComplianceError) as exc:
        dsr_extend(actor=admin_a, request=case, reason="Otra vez", today=datetime.date(2026, 4, 2))
    assert exc.value.code == "compliance_dsr_extended"


def test_extension_after_the_first_month_is_refused(person, admin_a):
    case = _request(admin_a, person(), datetime.date(2026, 1, 31))
    with pytest.raises(ComplianceError) as exc:
        dsr_extend(actor=admin_a, request=case, reason="Complejidad", today=datetime.date(2026, 3, 1))
    assert exc.value.code == "compliance_dsr_extension_late"
    assert "28/02/2026" in exc.value.message


def test_access_request_attaches_the_export_as_evidence(person, admin_a):
    case = _request(admin_a, person("Marta", "Ortega"), datetime.date(2026, 11, 20))
    document = dsr_export(actor=admin_a, request=case)
    assert Document.objects.filter(pk=document.pk, object_id=case.pk,
                                   content_type__model="datasubjectrequest").exists()
    content = document.current_version.file.read().decode("utf-8")
    assert "Marta" in content
    case.refresh_from_db()
    assert case.state == RequestState.IN_PROGRESS
    dsr_close(actor=admin_a, request=case, outcome=RequestState.RESOLVED, text="Enviada la copia por correo.")
    case.refresh_from_db()
    assert case.state == RequestState.RESOLVED and case.resolved_on is not None


def test_erasure_refused_while_the_law_keeps_the_data(person, admin_a):
    party = person("Nuria", "Campos")
    legal_hold_place(actor=admin_a, target=party, reason="Procedimiento judicial 55/2026")
    case = _request(admin_a, party, datetime.date(2026, 11, 20), kind=RequestKind.ERASURE)
    with pytest.raises(ComplianceError) as exc:
        dsr_erase(actor=admin_a, request=case)
    assert "Procedimiento judicial 55/2026" in exc.value.message
    party.refresh_from_db()
    assert party.anonymised_at is None
    assert AuditEvent.objects.filter(verb="compliance_dsr_erasure_refused", object_id=str(case.pk)).exists()
    dsr_close(actor=admin_a, request=case, outcome=RequestState.DENIED, text=exc.value.message)
    case.refresh_from_db()
    assert case.state == RequestState.DENIED


def test_erasure_anonymises_and_resolves(person, admin_a):
    party = person("Olga", "Pardo")
    case = _request(admin_a, party, datetime.date(2026, 11, 20), kind=RequestKind.ERASURE)
    dsr_start(actor=admin_a, request=case)
    case = dsr_erase(actor=admin_a, request=case)
    party.refresh_from_db()
    assert party.anonymised_at is not None and party.first_name.startswith("Anonimizado")
    assert case.state == RequestState.RESOLVED
    with pytest.raises(ComplianceError):
        dsr_start(actor=admin_a, request=case)
