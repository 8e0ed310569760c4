"""Demo access policy for the demo brokerage: every standard role gets its MfaPolicy row and Sistemas (who can
unlock accounts and reset authenticators) must use two-step verification, so the demo shows the enrolment
journey when sistemas@ signs in. Runs once: it does nothing when any policy exists."""
from aitcore.registry import registry


def identity_demo_seed(*, admin) -> dict:
    from apps.identity.models import MfaPolicy, Role
    from apps.identity.services.mfa import mfa_policy_set

    if MfaPolicy.objects.exists():
        return {"mfa_policies": 0}
    roles = list(Role.objects.all())
    for role in roles:
        mfa_policy_set(actor=admin, role=role, require_mfa=role.code == "sistemas")
    return {"mfa_policies": len(roles)}


registry.register_demo_seeder(identity_demo_seed)
