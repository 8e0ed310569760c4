"""What this app registers at ready(): each views module's MENU and each api module's ROUTES, the retention
checks (legal holds, open complaints), the new brokerage's register and rules, and the demo seeder."""
from aitcore.registry import registry
from apps.core.areas import register_areas

register_areas("apps.compliance")

from apps.compliance.services import holds  # noqa: E402,F401  (registers the retention checks)
from apps.compliance import demo  # noqa: E402,F401  (registers the demo seeder)


def _setup_compliance(*, tenant=None) -> None:
    from apps.compliance.services.activities import processing_activities_seed_defaults
    from apps.compliance.services.retention import retention_rules_seed_defaults

    processing_activities_seed_defaults(actor=None)
    retention_rules_seed_defaults(actor=None)


registry.register_tenant_setup(_setup_compliance)
