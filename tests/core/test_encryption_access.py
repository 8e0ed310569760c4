"""Who sees sensitive fields unmasked (issue 12, item 4): everyone sees the mask, the roles with the
category's permission can reveal through the service / «Mostrar» / ?reveal=1, and every reveal is audited."""
import pytest

from apps.audit.models import AuditEvent
from apps.audit.sensitive import can_view, mask_health, mask_iban, mask_ss_number
from apps.audit.services import sensitive_reveal
from apps.core.errors import PermissionDeniedError
from apps.crm.services.parties import party_create
from apps.hr.services.employees import employee_create
from tests.conftest import host_client

IBAN = "ES9121000418450200051332"
MASKED = "ES** **** **** **** **** 1332"
NAF = "281234567840"


@pytest.fixture
def party(tenant_a):
    return party_create(actor=None, data={"kind": "person", "first_name": "Lucía", "last_name": "Prieto Gómez",
                                          "tax_id": "12345678Z"}, bank_accounts=[{"iban": IBAN, "is_primary": True}])


@pytest.fixture
def employee(tenant_a, admin_a):
    return employee_create(actor=admin_a, code="E900", first_name="Laura", last_name="Gil Martín",
                           tax_id="12345678Z", ss_number=NAF, iban=IBAN)


def _reveals(obj):
    from django.contrib.contenttypes.models import ContentType

    return AuditEvent.objects.filter(verb="sensitive_reveal", object_id=str(obj.pk),
                                     content_type=ContentType.objects.get_for_model(obj))


def test_masks():
    assert mask_iban(IBAN) == MASKED
    assert mask_iban("ES91 2100 0418 4502 0005 1332") == MASKED
    assert mask_ss_number(NAF) == "********7840"
    assert mask_health({"smoker": True, "members": [{"name": "Ana", "smoker": False}]}) == {
        "smoker": "Datos de salud protegidos", "members": [{"name": "Ana", "smoker": "Datos de salud protegidos"}]}


def test_permissions_by_role(users_a):
    expected = {
        "direccion": {"bank", "hr", "health"},
        "rrhh": {"hr"},
        "cobros": {"bank"},
        "contabilidad": {"bank"},
        "comercial": set(),
        "sistemas": set(),  # audit «view» does not grant the sensitive-data permissions
        "siniestros": set(),
    }
    for code, categories in expected.items():
        user = users_a[code]
        assert {c for c in ("bank", "hr", "health") if can_view(user, c)} == categories, code


def test_service_reveals_for_allowed_roles_only_and_audits(party, employee, users_a):
    account = party.bank_accounts.get()
    assert sensitive_reveal(actor=users_a["cobros"], obj=account, field="iban") == IBAN
    event = _reveals(account).get()
    assert event.actor_label == users_a["cobros"].email
    assert event.changes == {"campo": "crm.bankaccount.iban", "canal": "web"}
    assert sensitive_reveal(actor=users_a["rrhh"], obj=employee, field="ss_number") == NAF
    for code, obj, field in (("comercial", account, "iban"), ("rrhh", account, "iban"),
                             ("cobros", employee, "ss_number"), ("sistemas", employee, "iban")):
        with pytest.raises(PermissionDeniedError):
            sensitive_reveal(actor=users_a[code], obj=obj, field=field)
    assert _reveals(account).count() == 1 and _reveals(employee).count() == 1


def test_party_page_masks_and_mostrar_reveals_with_audit(tenants, party, users_a):
    account = party.bank_accounts.get()
    cobros = host_client(tenants.alfa_host, users_a["cobros"])
    page = cobros.get(f"/r/crm/party/{party.pk}/").content.decode()
    assert MASKED in page and IBAN not in page and "Mostrar" in page
    url = f"/auditoria/revelar/crm.bankaccount/{account.pk}/iban/"
    assert cobros.get(url).status_code == 405  # POST only
    response = cobros.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and IBAN in response.content.decode()
    assert _reveals(account).filter(actor_label=users_a["cobros"].email).count() == 1

    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    assert comercial.post(url).status_code == 403
    assert _reveals(account).count() == 1


def test_employee_page_masks_ss_number_and_iban(tenants, employee, users_a):
    rrhh = host_client(tenants.alfa_host, users_a["rrhh"])
    page = rrhh.get(f"/rrhh/empleados/{employee.pk}/").content.decode()
    assert "********7840" in page and NAF not in page and MASKED in page and IBAN not in page
    response = rrhh.post(f"/auditoria/revelar/hr.employee/{employee.pk}/ss_number/")
    assert response.status_code == 200 and NAF in response.content.decode()
    assert _reveals(employee).get().changes["campo"] == "hr.employee.ss_number"


def test_api_masks_unless_reveal_with_permission(tenants, party, users_a):
    account = party.bank_accounts.get()
    url = f"/api/v1/crm/parties/{party.pk}/"
    cobros = host_client(tenants.alfa_host, users_a["cobros"])
    assert cobros.get(url).json()["bank_accounts"][0]["iban"] == MASKED
    assert not _reveals(account).exists()
    assert cobros.get(url + "?reveal=1").json()["bank_accounts"][0]["iban"] == IBAN
    assert _reveals(account).get().changes["canal"] == "api"
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    party.account_manager = users_a["comercial"]
    party.save(update_fields=["account_manager"])
    response = comercial.get(url + "?reveal=1")
    assert response.status_code == 200 and response.json()["bank_accounts"][0]["iban"] == MASKED
    assert _reveals(account).count() == 1


def test_api_round_trip_of_a_masked_iban_keeps_the_account(tenants, party, admin_a):
    client = host_client(tenants.alfa_host, admin_a)
    url = f"/api/v1/crm/parties/{party.pk}/"
    data = client.get(url).json()
    data["notes"] = "Llamar por la tarde"
    response = client.put(url, data, content_type="application/json")
    assert response.status_code == 200, response.content
    assert party.bank_accounts.get().iban == IBAN


def test_search_documents_never_hold_the_clear_values(party, employee):
    from apps.search.sources import sources

    documents = [source.document(obj) for source in sources()
                 for obj in (party, employee) if source.model is type(obj)]
    assert {d["kind"] for d in documents} == {"party", "employee"}
    text = str(documents)
    assert IBAN not in text and NAF not in text
