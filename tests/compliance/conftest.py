"""Shared fixtures of the compliance tests.

  person     factory: person(first_name="Lucía", last_name="Romero", updated=None) -> a CRM party; `updated`
             (a date) back-dates its last change (what starts the «sin relación activa» period)
  rules      the brokerage's default retention rules (party 60 months anonymise, …)
"""
import datetime

import pytest
from django.utils import timezone

from apps.compliance.models import RetentionRule
from apps.compliance.services.retention import retention_rules_seed_defaults
from apps.crm.models import Party
from apps.crm.services.parties import party_create


@pytest.fixture
def person(tenant_a, admin_a):
    def make(first_name="Lucía", last_name="Romero", updated: datetime.date | None = None):
        party = party_create(actor=admin_a, data={"kind": "person", "first_name": first_name,
                                                  "last_name": last_name})
        if updated is not None:
            moment = timezone.make_aware(datetime.datetime.combine(updated, datetime.time(12)))
            Party.objects.filter(pk=party.pk).update(updated_at=moment)
            party.refresh_from_db()
        return party

    return make


@pytest.fixture
def rules(tenant_a):
    retention_rules_seed_defaults(actor=None)
    return {rule.record_type: rule for rule in RetentionRule.objects.all()}
