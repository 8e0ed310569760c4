"""The HR demo seeder on the test brokerage, with only what it needs before it (the books of 2026 and 2027 and
a bank account; the insurance, collections and treasury demos are not run): the people and their org chart,
linked users seeing their own payslip, the posted and paid payroll, the leave queue of a manager, the
calendars of the two centres, the training hours, the contract PDFs, and a second run that adds nothing."""
import datetime
import io
from decimal import Decimal

import pypdf
import pytest
from django.db.models import Sum

from aitcore.registry import registry
from apps.accounting.models import EntryLine
from apps.audit.models import AuditEvent
from apps.hr.choices import ContractKind, ContractState, LeaveRequestState, PayrollRunState
from apps.hr.demo import hr_demo_seed
from apps.hr.models import (
    Contract, Employee, EmployeeDocument, Holiday, LeaveRequest, PayrollRun, Payslip, TimeRecord, TimeSheetSignoff,
    TrainingCourse, TrainingRecord, WorkCentre,
)
from apps.hr.selectors import org_chart
from apps.hr.selectors_leave import pending_for
from apps.hr.selectors_time import month_report
from apps.hr.selectors_training import COMPLIANT, NOT_YET, PENDING, training_report
from apps.hr.services.calendars import holidays_for
from apps.hr.validators import iban_clean, ss_number_clean, tax_id_clean
from tests.collections.conftest import coll_books  # noqa: F401
from tests.conftest import host_client
from tests.treasury.conftest import bank_account  # noqa: F401

TODAY = datetime.date(2026, 12, 4)
MODELS = (Employee, Contract, EmployeeDocument, Holiday, LeaveRequest, TimeRecord, TimeSheetSignoff, PayrollRun,
          Payslip, TrainingCourse, TrainingRecord, AuditEvent)


def _euros(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


@pytest.fixture
def seeded(settings, tmp_path, admin_a, coll_books, bank_account):  # noqa: F811
    settings.MEDIA_ROOT = str(tmp_path)  # the contract PDFs go to a temporary folder
    settings.STORAGES = {**settings.STORAGES}
    return hr_demo_seed(admin=admin_a, today=TODAY)


def test_seeder_is_registered():
    assert hr_demo_seed in registry.demo_seeders


def test_people_payroll_and_own_payslip(tenants, seeded, admin_a, users_a):
    """One seeding, several checks (the seeding is the slow part)."""
    _people_contracts_and_org_chart(seeded, admin_a)
    _payroll_posted_balanced_and_paid()
    _linked_user_sees_own_payslip_of_last_month(tenants, users_a)
    _contract_pdf_in_the_record(tenants, users_a)


def test_leave_time_calendars_and_a_second_run(seeded, admin_a, users_a):
    _leave_time_and_calendars(users_a)
    _training_some_compliant_some_short()
    _second_run_adds_nothing(admin_a)


def _people_contracts_and_org_chart(seeded, admin_a):
    assert seeded["employees"] == Employee.objects.count() == 26
    assert Employee.objects.filter(is_active=True).count() == 25
    for employee in Employee.objects.all():  # every identity number passes the validators unchanged
        assert tax_id_clean(employee.tax_id) == employee.tax_id
        assert ss_number_clean(employee.ss_number) == employee.ss_number
        assert iban_clean(employee.iban) == employee.iban
    chart = org_chart()
    assert len(chart["managers"]) == 1 and chart["managers"][0]["person"].user == admin_a
    kinds = list(Contract.objects.values_list("kind", flat=True))
    assert kinds.count(ContractKind.TEMPORARY) == 2 and kinds.count(ContractKind.INTERNSHIP) == 1
    assert Contract.objects.filter(full_time=False, weekly_hours=Decimal("25.00")).count() == 1
    left = Contract.objects.get(state=ContractState.ENDED)
    assert left.termination_date.year == TODAY.year and left.termination_reason == "resignation"
    assert not left.employee.is_active


def _linked_user_sees_own_payslip_of_last_month(tenants, users_a):
    javier = Employee.objects.get(user=users_a["comercial"])
    slip = Payslip.objects.get(employee=javier, run__year=2026, run__month=11)
    other = Payslip.objects.filter(run__year=2026, run__month=11).exclude(employee=javier).first()
    html = host_client(tenants.alfa_host, users_a["comercial"]).get("/rrhh/mis-nominas/").content.decode()
    assert _euros(slip.net) in html and _euros(other.net) not in html


def _contract_pdf_in_the_record(tenants, users_a):
    document = EmployeeDocument.objects.get(employee__user=users_a["comercial"])
    assert document.kind == "contract" and document.content_type == "application/pdf"
    response = host_client(tenants.alfa_host, users_a["comercial"]).get(f"/rrhh/documentos/{document.pk}/descargar/")
    pdf = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)), strict=True)
    assert "Javier Ruiz Montes" in pdf.pages[0].extract_text()
    assert EmployeeDocument.objects.count() == 2


def _payroll_posted_balanced_and_paid():
    runs = list(PayrollRun.objects.order_by("year", "month"))
    assert [(r.year, r.month, r.state) for r in runs] == [(2026, 10, PayrollRunState.PAID),
                                                          (2026, 11, PayrollRunState.PAID)]
    for run in runs:
        totals = run.entry.lines.aggregate(d=Sum("debit"), c=Sum("credit"))
        assert totals["d"] == totals["c"] == run.gross_total + run.ss_employer_total
        assert run.payslips.count() == 25 and run.transfer_order.count == 25
    payable = EntryLine.objects.filter(account__code="465", is_posted=True).aggregate(d=Sum("debit"), c=Sum("credit"))
    assert payable["d"] == payable["c"]  # the bank charged both transfer orders


def _leave_time_and_calendars(users_a):
    pending = list(pending_for(users_a["comercial"]))
    assert len(pending) == 1 and pending[0].start_date > TODAY
    assert LeaveRequest.objects.filter(state=LeaveRequestState.REJECTED).exclude(decision_note="").count() == 1
    assert LeaveRequest.objects.filter(leave_type__code="IT", state=LeaveRequestState.APPROVED).count() == 1
    assert LeaveRequest.objects.filter(state=LeaveRequestState.APPROVED, end_date__lt=TODAY).count() > 15
    madrid, valencia = WorkCentre.objects.get(code="MAD"), WorkCentre.objects.get(code="VLC")
    may_15 = datetime.date(2026, 5, 15)
    assert may_15 in holidays_for(madrid, may_15, may_15) and may_15 not in holidays_for(valencia, may_15, may_15)
    assert Holiday.objects.filter(date__year=2027).exists()
    marta = Employee.objects.get(user=users_a["cobros"])
    report = month_report(marta, 2026, 11)
    assert report.corrections == 1 and report.incomplete_days == 0 and report.signoff is not None
    assert report.days_worked == report.working_days  # 19 in Madrid, November 2026 (2 and 9 are holidays)


def _training_some_compliant_some_short():
    rows = training_report(Employee.objects.all(), TODAY.year)
    states = {row.employee.first_name: row.state for row in rows}
    assert sum(state == COMPLIANT for state in states.values()) == 9
    assert sum(state in PENDING for state in states.values()) == 7 and states["Javier"] in PENDING
    assert states["Daniel"] == NOT_YET  # started distributing this year
    assert TrainingCourse.objects.count() == 5 and TrainingRecord.objects.count() == 35


def _second_run_adds_nothing(admin_a):
    before = [model.objects.count() for model in MODELS]
    assert hr_demo_seed(admin=admin_a, today=TODAY) == {}
    assert [model.objects.count() for model in MODELS] == before
