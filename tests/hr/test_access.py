"""Who reads whose HR records: the employee their own, a manager their team at every level, RRHH everyone."""
from apps.hr.access import can_read_employee, employee_of, manages, team_ids, visible_employees
from apps.hr.models import Employee


def test_team_reaches_every_level_below(hr_people, hr_centre):
    boss, ana = hr_people["boss"], hr_people["ana"]
    intern = Employee.objects.create(code="E099", first_name="Iván", last_name="Ros Gil", tax_id="45678901G",
                                     ss_number="084567890118", manager=ana, work_centre=hr_centre)
    assert team_ids(boss) == {ana.pk, intern.pk}
    assert team_ids(ana) == {intern.pk}


def test_who_sees_whom(hr_people, users_a):
    boss, ana, pedro = hr_people["boss"], hr_people["ana"], hr_people["pedro"]
    assert employee_of(users_a["comercial"]) == ana
    assert set(visible_employees(users_a["comercial"])) == {ana}
    assert set(visible_employees(users_a["contabilidad"])) == {boss, ana}
    assert set(visible_employees(users_a["rrhh"])) == {boss, ana, pedro}
    assert list(visible_employees(users_a["cobros"])) == []
    assert not can_read_employee(users_a["comercial"], pedro)


def test_nobody_approves_their_own(hr_people, users_a):
    boss, ana = hr_people["boss"], hr_people["ana"]
    assert manages(users_a["contabilidad"], ana)
    assert not manages(users_a["comercial"], ana)
    assert not manages(users_a["contabilidad"], boss)
    assert manages(users_a["rrhh"], boss)
