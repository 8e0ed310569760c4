"""Working calendars (issue 8 item 3): national + regional + local holidays of a work centre, the working-days
arithmetic in one query per range, the 2026 national list, and the holidays pages and API (HR writes)."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.hr.errors import HRError
from apps.hr.models import Holiday, WorkCentre
from apps.hr.services.calendars import (add_working_days, holiday_create, holiday_delete, holidays_for,
                                        holidays_load_national, is_working_day, working_days)
from tests.conftest import host_client

D = datetime.date


@pytest.fixture
def calendar_2026(hr_centre, users_a):
    """2026 national holidays, Jueves Santo in Madrid (13), San Isidro local to the Madrid office, and a
    Valencia office with its own local holiday."""
    holidays_load_national(year=2026)
    hr = users_a["rrhh"]
    holiday_create(actor=hr, date=D(2026, 4, 2), name="Jueves Santo", scope="regional", region="13")
    holiday_create(actor=hr, date=D(2026, 4, 6), name="Lunes de Pascua", scope="regional", region="10")
    valencia = WorkCentre.objects.create(code="VLC", name="Oficina Valencia", municipality="Valencia", region="10")
    holiday_create(actor=hr, date=D(2026, 5, 15), name="San Isidro", scope="local", work_centre=hr_centre)
    holiday_create(actor=hr, date=D(2026, 4, 9), name="Fiesta local de Valencia", scope="local",
                   work_centre=valencia)
    return {"madrid": hr_centre, "valencia": valencia}


def test_working_days_across_easter_in_madrid(calendar_2026):
    madrid, valencia = calendar_2026["madrid"], calendar_2026["valencia"]
    # 01/04–10/04/2026: eight weekdays less Jueves Santo (regional) and Viernes Santo (national).
    with CaptureQueriesContext(connection) as queries:
        assert working_days(D(2026, 4, 1), D(2026, 4, 10), madrid) == 6
    assert len(queries) == 1
    # Valencia: Viernes Santo, Lunes de Pascua and its local holiday on the 9th, not Jueves Santo.
    assert working_days(D(2026, 4, 1), D(2026, 4, 10), valencia) == 5
    assert working_days(D(2026, 4, 1), D(2026, 4, 10), None) == 7  # national only
    assert working_days(D(2026, 5, 11), D(2026, 5, 15), madrid) == 4  # San Isidro is Madrid's only
    assert working_days(D(2026, 5, 11), D(2026, 5, 15), valencia) == 5
    assert working_days(D(2026, 4, 10), D(2026, 4, 1), madrid) == 0
    assert not is_working_day(D(2026, 4, 2), madrid) and is_working_day(D(2026, 4, 2), valencia)
    assert not is_working_day(D(2026, 4, 4), valencia)  # a Saturday
    assert holidays_for(madrid, D(2026, 4, 1), D(2026, 4, 10)) == {D(2026, 4, 2): "Jueves Santo",
                                                                     D(2026, 4, 3): "Viernes Santo"}


def test_add_working_days(calendar_2026):
    madrid = calendar_2026["madrid"]
    assert add_working_days(D(2026, 4, 1), 1, madrid) == D(2026, 4, 6)  # over Jueves and Viernes Santo
    assert add_working_days(D(2026, 4, 6), -1, madrid) == D(2026, 4, 1)
    assert add_working_days(D(2026, 4, 1), 0, madrid) == D(2026, 4, 1)
    assert add_working_days(D(2025, 12, 31), 2, madrid) == D(2026, 1, 5)  # 1 Jan holiday, then the weekend
    assert add_working_days(D(2026, 1, 1), 250, madrid) == D(2026, 12, 29)  # 252 in the year
    assert working_days(D(2026, 1, 2), D(2026, 12, 29), madrid) == 250


def test_national_list_2026_and_bad_input(calendar_2026, users_a):
    national = list(Holiday.objects.filter(scope="national", date__year=2026).values_list("date", flat=True))
    assert national == [D(2026, 1, 1), D(2026, 1, 6), D(2026, 4, 3), D(2026, 5, 1), D(2026, 8, 15),
                        D(2026, 10, 12), D(2026, 11, 1), D(2026, 12, 8), D(2026, 12, 25)]
    assert holidays_load_national(year=2026) == 0  # idempotent
    with pytest.raises(HRError) as unknown:
        holidays_load_national(year=2031)
    assert unknown.value.code == "hr_holiday_year"
    hr = users_a["rrhh"]
    with pytest.raises(HRError, match="Ya hay un festivo de ese ámbito el 02/04/2026"):
        holiday_create(actor=hr, date=D(2026, 4, 2), name="Otra vez", scope="regional", region="13")
    with pytest.raises(HRError, match="código INE"):
        holiday_create(actor=hr, date=D(2026, 3, 19), name="San José", scope="regional", region="Madrid")
    with pytest.raises(HRError) as local:
        holiday_create(actor=hr, date=D(2026, 3, 19), name="San José", scope="local")
    assert local.value.field == "work_centre"
    with pytest.raises(HRError) as forbidden:
        holiday_create(actor=users_a["comercial"], date=D(2026, 3, 19), name="San José", scope="national")
    assert forbidden.value.status == 403
    holiday_delete(actor=hr, holiday=Holiday.objects.get(name="Jueves Santo"))
    assert working_days(D(2026, 4, 1), D(2026, 4, 10), calendar_2026["madrid"]) == 7


def test_holiday_pages_and_api(calendar_2026, hr_people, tenants, users_a):
    hr = host_client(tenants.alfa_host, users_a["rrhh"])
    page = hr.get("/rrhh/festivos/?year=2026").content.decode()
    assert "Viernes Santo" in page and "03/04/2026" in page and "San Isidro" in page
    regional = hr.get("/rrhh/festivos/?year=2026&scope=regional").content.decode()
    assert "Jueves Santo" in regional and "Viernes Santo" not in regional
    created = hr.post("/rrhh/festivos/nuevo/", {"date": "19/03/2026", "name": "San José", "scope": "regional",
                                                "region": "13"})
    assert created.status_code == 302
    assert Holiday.objects.filter(name="San José", region="13").exists()
    refused = hr.post("/rrhh/festivos/nuevo/", {"date": "19/03/2026", "name": "San José", "scope": "regional",
                                                "region": "13"})
    assert refused.status_code == 409 and "Ya hay un festivo" in refused.content.decode()
    ana = host_client(tenants.alfa_host, hr_people["ana"].user)
    assert ana.get("/rrhh/festivos/?year=2026").status_code == 200  # everyone may read the calendar
    assert ana.get("/rrhh/festivos/nuevo/").status_code == 403
    api = ana.get("/api/v1/hr/holidays/?year=2026&work_centre=%d" % calendar_2026["madrid"].pk).json()
    names = [row["name"] for row in api["results"]]
    assert "Jueves Santo" in names and "Lunes de Pascua" not in names and "Fiesta local de Valencia" not in names
    days = ana.get("/api/v1/hr/holidays/working-days/?start=2026-04-01&end=2026-04-10&work_centre=%d"
                   % calendar_2026["madrid"].pk).json()
    assert days["working_days"] == 6
    assert ana.post("/api/v1/hr/holidays/", {"date": "2026-03-19", "name": "X", "scope": "national"},
                    content_type="application/json").status_code == 403
