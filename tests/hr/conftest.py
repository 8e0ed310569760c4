"""Shared fixtures of the HR tests: one Madrid work centre and a small team in alfa.

  hr_centre      «Oficina Madrid» (region 13, Madrid)
  hr_department  «Comercial» (cost centre CC-COM)
  hr_people      dict of Employee by key, each with an active indefinite full-time contract from 01/01/2025:
                   "boss"  Laura Gil Martín      user contabilidad@  30.000,00 €/year, 14 payments, IRPF 15 %
                   "ana"   Ana Martínez Ruiz     user comercial@     reports to boss, 24.000,00 €/year, IRPF 12 %
                   "pedro" Pedro Sanz Vela       user siniestros@    no manager (not boss's team), 21.000,00 €, IRPF 10 %
                 the HR user is users_a["rrhh"] (no employee record); users_a["cobros"] is not an employee.
Set up with the ORM on purpose (fixture data, not behaviour under test).
"""
import datetime
from decimal import Decimal

import pytest

from apps.hr.choices import ContractKind, DistributionRole
from apps.hr.models import Contract, Department, Employee, WorkCentre

PEOPLE = {
    "boss": ("Laura", "Gil Martín", "12345678Z", "281234567840", "contabilidad", "30000.00", "15.00", None),
    "ana": ("Ana", "Martínez Ruiz", "23456789D", "282345678992", "comercial", "24000.00", "12.00", "boss"),
    "pedro": ("Pedro", "Sanz Vela", "34567890V", "283456789037", "siniestros", "21000.00", "10.00", None),
}
START = datetime.date(2025, 1, 1)


@pytest.fixture
def hr_centre(tenant_a):
    return WorkCentre.objects.create(code="MAD", name="Oficina Madrid", municipality="Madrid", region="13",
                                     postal_code="28001", address="Calle de Serrano 1")


@pytest.fixture
def hr_department(tenant_a):
    return Department.objects.create(code="COM", name="Comercial", cost_centre="CC-COM")


@pytest.fixture
def hr_people(hr_centre, hr_department, users_a):
    people = {}
    for n, (key, (first, last, nif, naf, role, salary, irpf, manager)) in enumerate(PEOPLE.items(), start=1):
        employee = Employee.objects.create(
            code=f"E{n:03d}", user=users_a[role], first_name=first, last_name=last, tax_id=nif, ss_number=naf,
            email=users_a[role].email, iban="ES9121000418450200051332", department=hr_department,
            work_centre=hr_centre, position="Técnica de seguros", irpf_rate=Decimal(irpf),
            manager=people.get(manager), cost_centre="CC-COM", distribution_role=DistributionRole.LEVEL_2)
        Contract.objects.create(employee=employee, kind=ContractKind.INDEFINITE, sepe_code="100", start_date=START,
                                annual_salary=Decimal(salary), payments_per_year=14, contribution_group=5,
                                agreement="Convenio colectivo de mediación de seguros privados",
                                agreement_group="Grupo II")
        people[key] = employee
    return people
