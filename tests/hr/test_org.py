"""Departments, work centres and the org chart page (issue 8 items 1 and 9)."""
import pytest

from apps.audit.models import AuditEvent
from apps.hr.errors import HRError
from apps.hr.selectors import org_chart
from apps.hr.services.employees import employee_create
from apps.hr.services.org import department_create, department_update, work_centre_create, work_centre_update
from tests.conftest import host_client


def test_departments_and_work_centres(hr_department, users_a):
    rrhh = users_a["rrhh"]
    sales_north = department_create(actor=rrhh, code="COM-N", name="Comercial Norte", parent=hr_department)
    with pytest.raises(HRError, match="Ya hay un departamento con el código COM"):
        department_create(actor=rrhh, code="COM", name="Otro")
    with pytest.raises(HRError, match="no puede depender de sí mismo") as cycle:
        department_update(actor=rrhh, department=hr_department, parent=sales_north)
    assert cycle.value.field == "parent"
    department_update(actor=rrhh, department=sales_north, cost_centre="CC-CN")
    assert AuditEvent.objects.filter(object_id=str(sales_north.pk), content_type__model="department",
                                     action="update").get().changes == {
        "cost_centre": ["", "CC-CN"]}
    bcn = work_centre_create(actor=rrhh, code="BCN", name="Oficina Barcelona", municipality="Barcelona",
                             region="09", postal_code="08001")
    with pytest.raises(HRError, match="código INE"):
        work_centre_update(actor=rrhh, work_centre=bcn, region="99")
    with pytest.raises(HRError, match="5 dígitos"):
        work_centre_create(actor=rrhh, code="VAL", name="Valencia", municipality="Valencia", region="10",
                           postal_code="4600")


def test_org_chart_trees(hr_people, hr_department, users_a):
    rrhh = users_a["rrhh"]
    north = department_create(actor=rrhh, code="COM-N", name="Comercial Norte", parent=hr_department,
                              head=hr_people["ana"])
    intern = employee_create(actor=rrhh, code="E099", first_name="Iván", last_name="Ros Gil", tax_id="45678901G",
                             ss_number="084567890118", manager=hr_people["ana"], department=north)
    chart = org_chart()
    [commercial] = chart["departments"]
    assert [p.first_name for p in commercial["people"]] == ["Laura", "Ana", "Pedro"]
    assert commercial["children"][0]["department"] == north and commercial["children"][0]["people"] == [intern]
    tops = {node["person"].first_name: node for node in chart["managers"]}
    assert set(tops) == {"Laura", "Pedro"}
    [ana_node] = tops["Laura"]["reports"]
    assert ana_node["person"] == hr_people["ana"] and ana_node["reports"][0]["person"] == intern


def test_org_chart_page(tenants, hr_people, users_a, django_assert_max_num_queries):
    client = host_client(tenants.alfa_host, users_a["comercial"])
    client.get("/rrhh/organigrama/")
    with django_assert_max_num_queries(12):
        html = client.get("/rrhh/organigrama/").content.decode()
    assert 'id="org-managers"' in html and "Laura Gil Martín" in html and "hr/org.css" in html
    assert "<script>" not in html
    outsider = host_client(tenants.alfa_host, users_a["cobros"]).get("/rrhh/organigrama/")
    assert outsider.status_code == 200 and 'id="org-not-employee"' in outsider.content.decode()
