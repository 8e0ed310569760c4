"""Shared fixtures of the regulatory tests. Receipts, policies and books come from the collections
fixtures (a life-like test line «ctest» without taxes: net = total), imported by name:
  issued_policy(net=..., frequency=..., method=..., start=..., number=..., holder=...) -> Policy
  coll_catalog  Bag(insurer, product, line, agreement: 20 % new business, 10 % renewal, on collection)
  coll_holder   a client whose account manager is the «comercial» user
  coll_books    fiscal years 2026 and 2027 open
"""
import pytest

from apps.crm.services.parties import party_create
from tests.collections.conftest import (  # noqa: F401
    coll_books, coll_catalog, coll_holder, coll_line, issued_policy,
)
from tests.conftest import host_client


@pytest.fixture
def other_holder(tenant_a, users_a):
    """A client of the admin user (not of the «comercial»)."""
    return party_create(actor=None, data={"kind": "person", "first_name": "Jorge", "last_name": "Navarro Gil",
                                          "tax_id": "33333333P", "account_manager": users_a["admin"]})


@pytest.fixture
def client_for(tenants, users_a):
    def make(role: str):
        return host_client(tenants.alfa_host, users_a[role])

    return make
