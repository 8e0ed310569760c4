from django_tenants.utils import schema_context
from stdnum.es import nif

from apps.identity.roles import ROLE_SPECS
from apps.tenancy.demo import DEMO_PASSWORD, DEMO_SCHEMA, DEMO_USERS, demo_seed
from apps.tenancy.models import Tenant


def test_demo_brokerage_is_built_once_with_a_user_per_role(tenants, db):
    assert demo_seed() is True
    assert demo_seed() is False  # second run only checks
    tenant = Tenant.objects.get(schema_name=DEMO_SCHEMA)
    assert nif.is_valid(tenant.tax_id) and tenant.dgsfp_code
    with schema_context(DEMO_SCHEMA):
        from apps.identity.models import User

        users = {u.email: u for u in User.objects.prefetch_related("groups")}
        assert len(users) == len(DEMO_USERS)
        roles = {g.name for u in users.values() for g in u.groups.all()}
        assert roles == {spec.name for spec in ROLE_SPECS}
        assert all(u.check_password(DEMO_PASSWORD) for u in users.values())
        assert users["direccion@demo.aitcore.es"].get_full_name() == "Carmen Ortega Llorente"
        from schwifty import IBAN

        from apps.crm.models import BankAccount, Opportunity, Party, PartyRelation

        tax_ids = list(Party.objects.values_list("tax_id", flat=True))
        # 300 CRM clients plus the insurers and suppliers the demo books invoice.
        assert len(tax_ids) >= 300 and all(nif.is_valid(t) for t in tax_ids)
        assert all(IBAN(i).is_valid for i in BankAccount.objects.values_list("iban", flat=True))
        assert PartyRelation.objects.count() >= 50 and Opportunity.objects.count() == 40
    from apps.identity.models import User

    assert User.objects.get(email="plataforma@aitcore.es").is_superuser  # public schema
