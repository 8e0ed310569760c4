"""Role groups carry every module's permissions after a migrate run, including the modules whose
apps come after identity in INSTALLED_APPS (crm…), and the template new brokerages are cloned from."""
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal
from django_tenants.utils import schema_context

from apps.identity.signals import last_migrated_app_label
from tests.conftest import host_client


def _comercial_has(codename: str) -> bool:
    return Group.objects.get(name="Comercial").permissions.filter(
        content_type__app_label="crm", codename=codename).exists()


def test_roles_are_synced_after_the_last_app_of_the_migrate_run():
    assert last_migrated_app_label() != "identity"


def test_template_schema_roles_carry_crm_permissions(tenants, db):
    """The template is migrated once, from scratch, at the start of the session: no second pass."""
    with schema_context(settings.TENANT_BASE_SCHEMA):
        assert _comercial_has("view_party") and _comercial_has("change_party")
        assert Group.objects.get(name="Administración y Contabilidad").permissions.filter(
            content_type__app_label="crm", codename="view_party").exists()


def test_migrate_creating_crm_permissions_gives_them_to_the_roles(tenants, users_a):
    # As on a schema migrated from scratch: crm's permissions do not exist until crm's own
    # post_migrate creates them, after identity's.
    Permission.objects.filter(content_type__app_label="crm").delete()
    assert not _comercial_has("view_party")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert _comercial_has("view_party") and _comercial_has("add_party")
    client = host_client(tenants.alfa_host, users_a["comercial"])
    assert client.get("/r/crm/party/").status_code == 200
