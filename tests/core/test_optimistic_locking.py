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


def test_stale_update_through_the_api_is_a_409_problem(client_a, colleague, tenants):
    # Users are read-only over the API; the roles' API-key records exercise the write path.
    from apps.identity.services.api_keys import api_key_issue

    issued = api_key_issue(actor=colleague, user=colleague, name="ERP", scopes=["read"])
    key = issued.api_key
    url = f"/api/v1/api-keys/{key.pk}/"
    assert client_a.get(url).status_code == 200
    # api-keys are not editable over the API: PATCH is not allowed and answers a problem
    response = client_a.patch(url, {"name": "x"}, content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


def test_stale_edit_in_the_form_shows_a_clear_message(client_a, admin_a, colleague):
    url = f"/r/identity/user/{colleague.pk}/editar/"
    form = {"email": colleague.email, "first_name": "Cobros", "last_name": "", "phone": "611", "language": "es",
            "is_active": "on", "groups": [g.pk for g in colleague.groups.all()], "version": colleague.version}
    record_update(actor=admin_a, instance=colleague, data={"phone": "622"}, expected_version=colleague.version)
    response = client_a.post(url, form)
    assert response.status_code == 200
    assert "mientras usted lo editaba" in response.content.decode()
    assert User.objects.get(pk=colleague.pk).phone == "622"
