import pytest

from apps.core.errors import StaleObjectError
from apps.core.services.records import record_update
from apps.identity.models import User


@pytest.fixture
def colleague(users_a):
    return users_a["cobros"]


def test_stale_update_is_refused_and_changes_nothing(admin_a, colleague):
    loaded_version = colleague.version
    record_update(actor=admin_a, instance=colleague, data={"phone": "600000001"}, expected_version=loaded_version)
    with pytest.raises(StaleObjectError, match="Recargue la página"):
        record_update(actor=admin_a, instance=colleague, data={"phone": "699999999"}, expected_version=loaded_version)
    colleague.refresh_from_db()
    assert colleague.phone == "600000001"
    assert colleague.version == loaded_version + 1


def test_stale_update_through_the_api_is_a_409_problem(client_a, colleague):
    url = f"/api/v1/users/{colleague.pk}/"
    loaded = client_a.get(url).json()["version"]
    first = client_a.patch(url, {"phone": "600000002"}, content_type="application/json", HTTP_IF_MATCH=str(loaded))
    assert first.status_code == 200 and first.json()["version"] == loaded + 1
    stale = client_a.patch(url, {"phone": "699999999"}, content_type="application/json", HTTP_IF_MATCH=str(loaded))
    assert stale.status_code == 409 and stale["Content-Type"] == "application/problem+json"
    assert stale.json()["code"] == "stale_object" and "version" in stale.json()["errors"]
    assert User.objects.get(pk=colleague.pk).phone == "600000002"


def test_stale_edit_in_the_form_shows_a_clear_message(client_a, admin_a, colleague):
    url = f"/r/identity/user/{colleague.pk}/editar/"
    form = {"email": colleague.email, "first_name": "Cobros", "last_name": "", "phone": "611", "language": "es",
            "is_active": "on", "groups": [g.pk for g in colleague.groups.all()], "version": colleague.version}
    record_update(actor=admin_a, instance=colleague, data={"phone": "622"}, expected_version=colleague.version)
    response = client_a.post(url, form)
    assert response.status_code == 200
    assert "mientras usted lo editaba" in response.content.decode()
    assert User.objects.get(pk=colleague.pk).phone == "622"
