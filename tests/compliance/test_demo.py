"""The demo seeder: the register, the rules, one request and three complaints; a second run adds nothing."""
from apps.compliance.demo import compliance_demo_seed
from apps.compliance.models import Complaint, DataSubjectRequest, ProcessingActivity, RetentionRule


def test_demo_seed(person, admin_a):
    for name in ("Ana", "Berta", "Carlos", "Diego"):
        person(name, "Demo")
    done = compliance_demo_seed(admin=admin_a)
    assert done["requests"] == 1 and done["complaints"] == 3
    assert ProcessingActivity.objects.filter(code="clientes-polizas", special_categories=True).exists()
    assert RetentionRule.objects.filter(record_type="party_inactive", period_months=60).exists()
    assert DataSubjectRequest.objects.count() == 1 and Complaint.objects.count() == 3
    assert Complaint.objects.filter(outcome="not_admitted", not_admitted_reason="judicial").exists()
    assert "requests" not in compliance_demo_seed(admin=admin_a)
