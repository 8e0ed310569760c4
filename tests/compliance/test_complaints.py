"""Complaints service (issue 12 item 6): deadline two months from reception, one month for consumers
(art. 10.3 Orden ECO/734/2004), configurable; overdue list; reasoned resolution; the yearly report (art. 17);
the handler is warned before the deadline."""
import datetime
from decimal import Decimal

import pytest

from apps.compliance.choices import ComplaintKind, ComplaintOutcome, ComplaintReason, NotAdmittedReason
from apps.compliance.errors import ComplianceError
from apps.compliance.models import Complaint, ComplianceSettings
from apps.compliance.selectors import complaints_overdue, complaints_yearly_report
from apps.compliance.services.complaints import complaint_create, complaint_resolve
from apps.compliance.services.deadlines import compliance_deadlines_warn
from apps.notifications.models import Notification


def _complaint(admin, party, received, *, consumer=True, kind=ComplaintKind.RECLAMACION, amount=None,
               reason=ComplaintReason.RECEIPTS):
    return complaint_create(actor=admin, kind=kind, party=party, received_on=received, is_consumer=consumer,
                            description="Cobro indebido de un recibo", reason=reason, handler=admin,
                            amount_claimed=amount)


def test_deadline_one_month_for_consumers_two_otherwise(person, admin_a):
    party = person()
    assert _complaint(admin_a, party, datetime.date(2026, 3, 10)).deadline == datetime.date(2026, 4, 10)
    assert _complaint(admin_a, party, datetime.date(2026, 3, 10), consumer=False).deadline == datetime.date(2026, 5, 10)
    assert _complaint(admin_a, party, datetime.date(2025, 12, 31), consumer=False).deadline == datetime.date(2026, 2, 28)


def test_deadline_follows_the_brokerage_settings(person, admin_a):
    ComplianceSettings.objects.update_or_create(pk=1, defaults={"consumer_complaint_months": 2})
    complaint = _complaint(admin_a, person(), datetime.date(2026, 3, 10))
    assert complaint.deadline == datetime.date(2026, 5, 10)
    assert complaint.number.startswith("SAC-2026-")


def test_overdue_lists_open_complaints_past_their_deadline(person, admin_a):
    party = person()
    late = _complaint(admin_a, party, datetime.date(2026, 9, 1))          # deadline 01/10/2026
    closed = _complaint(admin_a, party, datetime.date(2026, 9, 1))
    complaint_resolve(actor=admin_a, complaint=closed, outcome=ComplaintOutcome.DISMISSED, resolution="Sin razón")
    soon = _complaint(admin_a, party, datetime.date(2026, 11, 20))        # deadline 20/12/2026
    overdue = set(complaints_overdue(today=datetime.date(2026, 12, 4)).values_list("pk", flat=True))
    assert late.pk in overdue and closed.pk not in overdue and soon.pk not in overdue


def test_not_admitted_needs_its_cause(person, admin_a):
    complaint = _complaint(admin_a, person(), datetime.date(2026, 11, 2))
    with pytest.raises(ComplianceError) as exc:
        complaint_resolve(actor=admin_a, complaint=complaint, outcome=ComplaintOutcome.NOT_ADMITTED,
                          resolution="Pendiente en los tribunales")
    assert exc.value.code == "compliance_complaint_not_admitted"
    with pytest.raises(ComplianceError):
        complaint_resolve(actor=admin_a, complaint=complaint, outcome=ComplaintOutcome.DISMISSED, resolution="No",
                          amount_granted=Decimal("10"))


def test_yearly_report(person, admin_a):
    party = person()
    a = _complaint(admin_a, party, datetime.date(2025, 3, 1), amount=Decimal("300.00"))
    complaint_resolve(actor=admin_a, complaint=a, outcome=ComplaintOutcome.PARTIALLY_UPHELD, resolution="Parcial",
                      resolved_on=datetime.date(2025, 3, 21), amount_granted=Decimal("150.00"),
                      criteria="Recargos por error de la correduría se reintegran")
    b = _complaint(admin_a, party, datetime.date(2025, 5, 1), amount=Decimal("2400.00"),
                   reason=ComplaintReason.CLAIM)
    complaint_resolve(actor=admin_a, complaint=b, outcome=ComplaintOutcome.NOT_ADMITTED, resolution="Judicial",
                      not_admitted_reason=NotAdmittedReason.JUDICIAL, resolved_on=datetime.date(2025, 5, 11))
    c = _complaint(admin_a, party, datetime.date(2025, 6, 1), kind=ComplaintKind.QUEJA, consumer=False)
    complaint_resolve(actor=admin_a, complaint=c, outcome=ComplaintOutcome.DISMISSED, resolution="Atendido",
                      resolved_on=datetime.date(2025, 8, 15))  # deadline 01/08/2025: late
    _complaint(admin_a, party, datetime.date(2025, 12, 20))  # still open

    report = complaints_yearly_report(2025)
    assert report.total == 4
    assert dict(report.by_kind) == {"Queja": 1, "Reclamación": 3}
    assert (report.admitted, report.not_admitted) == (3, 1)
    assert report.not_admitted_reasons == [(NotAdmittedReason.JUDICIAL.label, 1)]
    assert {code: count for code, _label, count, *_rest in report.by_outcome} == {
        "partial": 1, "dismissed": 1, "not_admitted": 1}
    assert report.favourable == 1
    assert (report.resolved, report.resolved_in_time, report.resolved_late, report.pending) == (3, 2, 1, 1)
    assert report.average_days == Decimal("35.0")  # (20 + 10 + 75) / 3
    assert report.amount_claimed == Decimal("2700.00") and report.amount_granted == Decimal("150.00")
    assert report.criteria == [("Recargos por error de la correduría se reintegran", 1)]
    assert complaints_yearly_report(2024).total == 0


def test_handler_warned_once_before_the_deadline(person, admin_a, users_a):
    handler = users_a["contabilidad"]
    complaint = complaint_create(actor=admin_a, kind=ComplaintKind.QUEJA, party=person(),
                                 received_on=datetime.date(2026, 11, 8), description="Trato recibido",
                                 handler=handler)  # deadline 08/12/2026
    before = Notification.objects.filter(recipient=handler).count()
    assert compliance_deadlines_warn(today=datetime.date(2026, 11, 20)) == 0
    assert compliance_deadlines_warn(today=datetime.date(2026, 12, 4)) >= 1
    assert compliance_deadlines_warn(today=datetime.date(2026, 12, 5)) == 0
    assert Complaint.objects.get(pk=complaint.pk).warned_for == datetime.date(2026, 12, 8)
    assert Notification.objects.filter(recipient=handler).count() >= before  # in-app or e-mail per preferences
