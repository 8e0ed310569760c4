"""Continuing training (issue 8 item 7, LDS / RD 287/2021 art. 11): the seeded yearly hours per level, yearly
totals with the issue's numbers (only courses that count for distribution), the first-year rule, refusals
(duplicate, hours above the course, bad courses) with nothing saved, who reads what (404 by URL and API), the
supervisor report for HR and managers with its CSV and a pinned number of queries, and the pages and API."""
import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AuditEvent
from apps.hr.choices import ContractKind, DistributionRole
from apps.hr.errors import HRError
from apps.hr.models import Contract, Employee, EmployeeDocument, TrainingCourse, TrainingRecord, TrainingRequirement
from apps.hr.selectors_training import employee_years, training_report
from apps.hr.services.training import course_create, course_update, training_record_add
from tests.conftest import host_client

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def courses(users_a):
    hr = users_a["rrhh"]
    make = lambda title, hours, lds=True: course_create(  # noqa: E731
        actor=hr, title=title, provider="Escuela de Seguros", hours=Decimal(hours), counts_for_distribution=lds,
        start_date=D(2025, 1, 1))
    return {"ldsA": make("Producto de vida", "10"), "ldsB": make("IDD y conducta de mercado", "12.5"),
            "ldsC": make("Seguro de no vida", "8"), "excel": make("Excel avanzado", "20", lds=False),
            "big": make("Programa de distribución", "25")}


@pytest.fixture
def ana_trained(hr_people, courses, users_a):
    """ana (level 2): 10 h + 12,5 h in 2026, 8 h in 2025, and 20 h of Excel (does not count) in 2026."""
    hr, ana = users_a["rrhh"], hr_people["ana"]
    for key, day in (("ldsA", D(2026, 3, 10)), ("ldsB", D(2026, 6, 1)), ("ldsC", D(2025, 11, 20)),
                     ("excel", D(2026, 4, 1))):
        training_record_add(actor=hr, employee=ana, course=courses[key], completed_on=day)
    training_record_add(actor=hr, employee=hr_people["pedro"], course=courses["big"], completed_on=D(2026, 2, 2))
    return ana


def _one(employee, year):
    return training_report(Employee.objects.filter(pk=employee.pk), year)[0]


def test_requirements_seeded_by_the_migration(tenant_a):
    assert dict(TrainingRequirement.objects.values_list("level", "yearly_hours")) == {
        "level_1": Decimal("25.00"), "level_2": Decimal("25.00"), "level_3": Decimal("15.00")}


def test_yearly_totals_with_the_issue_numbers(ana_trained, hr_people):
    row = _one(ana_trained, 2026)
    assert (row.required, row.done, row.missing, row.compliant) == (
        Decimal("25.00"), Decimal("22.50"), Decimal("2.50"), False)
    assert row.state == "in_progress" and row.level == DistributionRole.LEVEL_2
    past = _one(ana_trained, 2025)  # 2025 counted apart; it was her first year (contract 01/01/2025)
    assert (past.done, past.state, past.compliant) == (Decimal("8.00"), "not_yet_required", None)
    assert [(s.year, s.done) for s in employee_years(ana_trained)] == [(2026, Decimal("22.50")), (2025, Decimal("8"))]
    pedro = _one(hr_people["pedro"], 2026)
    assert (pedro.done, pedro.missing, pedro.compliant, pedro.state) == (Decimal("25.00"), 0, True, "compliant")


def test_first_year_rule_and_people_outside_distribution(hr_people, courses, users_a):
    newcomer = Employee.objects.create(code="E050", first_name="Nuria", last_name="Vidal", tax_id="45678901G",
                                       ss_number="284567890123", distribution_role=DistributionRole.LEVEL_1)
    Contract.objects.create(employee=newcomer, kind=ContractKind.INDEFINITE, start_date=D(2026, 2, 1),
                            annual_salary=Decimal("20000"))
    first, second = _one(newcomer, 2026), _one(newcomer, 2027)
    assert (first.state, first.compliant, first.obligation_from) == ("not_yet_required", None, 2027)
    assert (second.state, second.required, second.missing) == ("in_progress", Decimal("25.00"), Decimal("25.00"))
    hr_people["boss"].distribution_role = DistributionRole.NONE
    hr_people["boss"].save()
    boss = _one(hr_people["boss"], 2026)
    assert (boss.state, boss.required, boss.compliant) == ("not_applicable", None, None)


def test_refusals_save_nothing(ana_trained, courses, users_a, hr_people):
    hr, records, documents = users_a["rrhh"], TrainingRecord.objects.count(), EmployeeDocument.objects.count()
    with pytest.raises(HRError) as twice:
        training_record_add(actor=hr, employee=ana_trained, course=courses["ldsA"], completed_on=D(2026, 5, 1),
                            certificate_file=SimpleUploadedFile("c.pdf", PDF))
    assert twice.value.status == 409 and "ya tiene registrado el curso «Producto de vida»" in twice.value.message
    with pytest.raises(HRError) as above:
        training_record_add(actor=hr, employee=hr_people["boss"], course=courses["ldsA"], completed_on=D(2026, 5, 1),
                            hours=Decimal("10.5"))
    assert above.value.code == "hr_training_hours_above_course" and "es de 10 horas" in above.value.message
    with pytest.raises(HRError) as not_hr:
        training_record_add(actor=ana_trained.user, employee=ana_trained, course=courses["big"],
                            completed_on=D(2026, 5, 1))
    assert not_hr.value.status == 403
    assert (TrainingRecord.objects.count(), EmployeeDocument.objects.count()) == (records, documents)
    for bad, field in (({"hours": 0}, "hours"), ({"start_date": D(2026, 5, 2), "end_date": D(2026, 5, 1)}, "end_date")):
        with pytest.raises(HRError) as wrong:
            course_create(actor=hr, title="Curso", provider="Escuela", **{"hours": 5, **bad})
        assert wrong.value.field == field
    with pytest.raises(HRError, match="10 horas acreditadas"):
        course_update(actor=hr, course=courses["ldsA"], hours=Decimal("6"))
    assert AuditEvent.objects.filter(verb="hr_training_record_add").count() == 5


def test_nobody_reads_anothers_training(tenants, ana_trained, hr_people, users_a):
    pedro, boss = hr_people["pedro"], hr_people["boss"]
    pedro_record = TrainingRecord.objects.get(employee=pedro)
    ana = host_client(tenants.alfa_host, ana_trained.user)
    assert ana.get(f"/rrhh/formacion/informe/empleados/{pedro.pk}/").status_code == 404
    assert ana.get(f"/api/v1/hr/training-records/{pedro_record.pk}/").status_code == 404
    assert {r["employee"] for r in ana.get("/api/v1/hr/training-records/").json()["results"]} == {ana_trained.pk}
    assert ana.get(f"/rrhh/empleados/{pedro.pk}/").status_code == 404
    mine = ana.get("/rrhh/mi-formacion/").content.decode()
    assert "Producto de vida" in mine and "Programa de distribución" not in mine and "22,5" in mine
    boss_client = host_client(tenants.alfa_host, boss.user)
    assert "Producto de vida" in boss_client.get(f"/rrhh/formacion/informe/empleados/{ana_trained.pk}/").content.decode()
    assert boss_client.get(f"/rrhh/formacion/informe/empleados/{pedro.pk}/").status_code == 404
    panel = boss_client.get(f"/rrhh/empleados/{ana_trained.pk}/").content.decode()
    assert 'id="training-panel"' in panel and "22,5 de 25 horas" in panel
    nobody = host_client(tenants.alfa_host, users_a["cobros"]).get("/rrhh/mi-formacion/")
    assert nobody.status_code == 200 and 'id="training-mine-none"' in nobody.content.decode()


def test_supervisor_report_csv_and_query_count(tenants, ana_trained, hr_people, users_a,
                                               django_assert_max_num_queries):
    boss = host_client(tenants.alfa_host, hr_people["boss"].user)
    page = boss.get("/rrhh/formacion/informe/?year=2026")
    assert [row.employee.pk for row in page.context["rows"]] == [ana_trained.pk]  # team only, not pedro
    assert 'id="training-requirements-form"' not in page.content.decode()
    alone = host_client(tenants.alfa_host, hr_people["pedro"].user).get("/rrhh/formacion/informe/").content.decode()
    assert 'id="training-report-none"' in alone
    hr = host_client(tenants.alfa_host, users_a["rrhh"])
    csv_text = hr.get("/rrhh/formacion/informe/?year=2026&export=csv").content.decode("utf-8-sig")
    assert "E002;Martínez Ruiz, Ana;Comercial;Nivel 2: asesora o informa al cliente;25,00;22,50;2,50;" \
           "En curso: faltan horas" in csv_text
    assert "E003;Sanz Vela, Pedro;Comercial;Nivel 2: asesora o informa al cliente;25,00;25,00;0,00;Cumple" in csv_text
    pending = hr.get("/rrhh/formacion/informe/?year=2026&pending=on&export=csv").content.decode("utf-8-sig")
    assert "Martínez Ruiz" in pending and "Sanz Vela" not in pending
    printable = hr.get("/rrhh/formacion/informe/?year=2026&export=print").content.decode()
    assert "data-print" in printable and "hr/print.js" in printable and "Martínez Ruiz" in printable
    hr.get("/rrhh/formacion/informe/?year=2026")
    with CaptureQueriesContext(connection) as few:
        hr.get("/rrhh/formacion/informe/?year=2026&level=level_2")
    course = TrainingCourse.objects.get(title="Producto de vida")
    for n in range(10, 20):
        extra = Employee.objects.create(code=f"E{n}", first_name=f"Persona{n}", last_name="Prueba",
                                        tax_id=f"X{n:07d}A", ss_number=f"2800000{n:03d}00",
                                        distribution_role=DistributionRole.LEVEL_2)
        Contract.objects.create(employee=extra, kind=ContractKind.INDEFINITE, start_date=D(2024, 1, 1),
                                annual_salary=Decimal("18000"))
        TrainingRecord.objects.create(employee=extra, course=course, completed_on=D(2026, 1, 9), hours=5)
    with django_assert_max_num_queries(len(few)):
        html = hr.get("/rrhh/formacion/informe/?year=2026&level=level_2").content.decode()
    assert "Persona19" in html


def test_hr_pages_course_attendance_with_certificate_and_requirements(tenants, hr_people, users_a):
    hr = host_client(tenants.alfa_host, users_a["rrhh"])
    assert host_client(tenants.alfa_host, hr_people["ana"].user).get("/rrhh/formacion/cursos/").status_code == 403
    bad = hr.post("/rrhh/formacion/cursos/nuevo/", {"title": "Ética", "provider": "ICEA", "hours": "0",
                                                    "modality": "online"})
    assert bad.status_code == 400 and "mayores que cero" in bad.content.decode()
    made = hr.post("/rrhh/formacion/cursos/nuevo/", {"title": "Ética", "provider": "ICEA", "hours": "6,5",
                                                     "modality": "online", "counts_for_distribution": "on",
                                                     "start_date": "2026-01-10", "end_date": "2026-01-20"})
    course = TrainingCourse.objects.get(title="Ética")
    assert made.status_code == 302 and course.hours == Decimal("6.50")
    assert hr.get("/rrhh/formacion/cursos/").status_code == 200
    ana = hr_people["ana"]
    added = hr.post(f"/rrhh/formacion/cursos/{course.pk}/", {
        "employee": ana.pk, "completed_on": "2026-01-20", "certificate_file": SimpleUploadedFile("c.pdf", PDF)})
    record = TrainingRecord.objects.select_related("certificate").get(employee=ana, course=course)
    try:
        assert added.status_code == 302 and record.hours == Decimal("6.50")
        assert (record.certificate.kind, record.certificate.employee_id) == ("certificate", ana.pk)
        again = hr.post(f"/rrhh/formacion/cursos/{course.pk}/", {"employee": ana.pk, "completed_on": "2026-01-20"})
        assert again.status_code == 400  # ana is no longer offered for this course
        assert "Ana Martínez Ruiz" in hr.get(f"/rrhh/formacion/cursos/{course.pk}/").content.decode()
    finally:
        record.certificate.file.storage.delete(record.certificate.file.name)
    assert hr.post(f"/rrhh/formacion/asistencias/{record.pk}/eliminar/").status_code == 302
    assert not TrainingRecord.objects.filter(pk=record.pk).exists()
    saved = hr.post("/rrhh/formacion/informe/horas-exigidas/", {"level_1": "30", "level_2": "25", "level_3": "15"})
    assert saved.status_code == 302 and TrainingRequirement.objects.get(level="level_1").yearly_hours == 30
    assert AuditEvent.objects.filter(verb="hr_training_requirement_update").count() == 1
    assert host_client(tenants.alfa_host, ana.user).post("/rrhh/formacion/informe/horas-exigidas/",
                                                         {"level_1": "1"}).status_code == 403


def test_api_courses_records_and_report(tenants, ana_trained, hr_people, users_a, courses):
    hr, ana = host_client(tenants.alfa_host, users_a["rrhh"]), host_client(tenants.alfa_host, ana_trained.user)
    assert ana.get("/api/v1/hr/training-courses/").json()["count"] == 5
    assert ana.post("/api/v1/hr/training-courses/", {"title": "X", "provider": "Y", "hours": "3"},
                    content_type="application/json").status_code == 403
    made = hr.post("/api/v1/hr/training-courses/", {"title": "Ciberriesgos", "provider": "Y", "hours": "4"},
                   content_type="application/json")
    assert made.status_code == 201 and made.json()["hours"] == "4.00"
    body = {"employee": ana_trained.pk, "course": made.json()["id"], "completed_on": "2026-07-01"}
    created = hr.post("/api/v1/hr/training-records/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["hours"] == "4.00"
    twice = hr.post("/api/v1/hr/training-records/", body, content_type="application/json")
    assert twice.status_code == 409 and twice["Content-Type"].startswith("application/problem+json")
    report = hr.get("/api/v1/hr/training-report/?year=2026").json()
    row = next(r for r in report["results"] if r["employee"] == ana_trained.pk)
    assert (row["required"], row["done"], row["missing"], row["compliant"]) == ("25.00", "26.50", "0.00", True)
    boss = host_client(tenants.alfa_host, hr_people["boss"].user)
    assert [r["employee"] for r in boss.get("/api/v1/hr/training-report/?year=2026").json()["results"]] == [
        ana_trained.pk]
    assert ana.get("/api/v1/hr/training-report/").json()["results"] == []
    assert ana.delete(f"/api/v1/hr/training-records/{created.json()['id']}/").status_code == 403
    assert hr.delete(f"/api/v1/hr/training-records/{created.json()['id']}/").status_code == 204


def test_admin_saves_through_the_services(tenants, ana_trained, courses, admin_a):
    admin = host_client(tenants.alfa_host, admin_a)
    form = {"title": "Blanqueo de capitales", "provider": "ICEA", "hours": "0", "modality": "online",
            "counts_for_distribution": "on"}
    refused = admin.post("/admin/hr/trainingcourse/add/", form)
    assert refused.status_code == 200 and "mayores que cero" in refused.content.decode()
    assert admin.post("/admin/hr/trainingcourse/add/", {**form, "hours": "3"}).status_code == 302
    assert AuditEvent.objects.filter(verb="hr_training_course_create", object_repr="Blanqueo de capitales").exists()
    requirement = TrainingRequirement.objects.get(level="level_3")
    changed = admin.post(f"/admin/hr/trainingrequirement/{requirement.pk}/change/", {"yearly_hours": "20"})
    assert changed.status_code == 302 and TrainingRequirement.objects.get(level="level_3").yearly_hours == 20
    assert AuditEvent.objects.filter(verb="hr_training_requirement_update").exists()
    for page in ("trainingrecord/", f"trainingcourse/{courses['ldsA'].pk}/change/", "trainingrequirement/"):
        assert admin.get(f"/admin/hr/{page}").status_code == 200
