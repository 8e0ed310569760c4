"""API rate limits (issue 12, item 2): per user and per API key, counted in Redis under keys that carry the
brokerage's schema, answered with 429, Retry-After and a problem body."""
import pytest
from django.core.cache import caches

from apps.core import throttling
from apps.identity.services.api_keys import api_key_issue
from tests.conftest import host_client

URL = "/api/v1/notifications/"
# 09:00:15.2 of some day: 44.8 s left in the minute window -> Retry-After 45.
PINNED = 1_800_000_000 - (1_800_000_000 % 60) + 15.2


@pytest.fixture(autouse=True)
def clean_counters(monkeypatch):
    cache = caches[throttling.CACHE_ALIAS]
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("throttle:*")
    else:
        cache.clear()
    monkeypatch.setattr(throttling, "clock", lambda: PINNED)
    yield
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("throttle:*")


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                                   "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "user": "10000/min",
                                                              "api_key": "10000/min", "token": "10000/min", **rates}}
    return set_rates


def _assert_429(response):
    assert response.status_code == 429, response.content
    assert response["Retry-After"] == "45"
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 429 and body["code"] == "rate_limited"
    assert body["title"] == "Demasiadas peticiones"
    assert "45 s" in body["detail"]


def test_user_gets_429_with_retry_after_after_his_quota(tenants, api_token_a, rates):
    rates(user="3/min")
    client = host_client(tenants.alfa_host)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_a}"}
    assert [client.get(URL, **auth).status_code for _ in range(3)] == [200, 200, 200]
    _assert_429(client.get(URL, **auth))


def test_each_user_has_his_own_quota(tenants, users_a, rates):
    rates(user="2/min")
    admin = host_client(tenants.alfa_host, users_a["admin"])
    other = host_client(tenants.alfa_host, users_a["direccion"])
    assert [admin.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert other.get(URL).status_code == 200  # a colleague is not slowed down by the admin's burst


def test_api_key_has_its_own_quota_apart_from_its_user(tenants, admin_a, rates):
    rates(api_key="2/min", user="100/min")
    first = api_key_issue(actor=admin_a, user=admin_a, name="ERP del cliente", scopes=["read"]).plaintext
    second = api_key_issue(actor=admin_a, user=admin_a, name="Comparador", scopes=["read"]).plaintext
    client = host_client(tenants.alfa_host)
    assert [client.get(URL, HTTP_X_API_KEY=first).status_code for _ in range(2)] == [200, 200]
    _assert_429(client.get(URL, HTTP_X_API_KEY=first))
    # Another key of the same user, and the user's own session, still pass.
    assert client.get(URL, HTTP_AUTHORIZATION=f"Api-Key {second}").status_code == 200
    assert host_client(tenants.alfa_host, admin_a).get(URL).status_code == 200


def test_counter_keys_carry_the_tenant_schema(tenants, admin_a, rates):
    rates(api_key="5/min")
    key = api_key_issue(actor=admin_a, user=admin_a, name="Integración", scopes=["read"])
    host_client(tenants.alfa_host).get(URL, HTTP_X_API_KEY=key.plaintext)
    window = int(PINNED // 60)
    expected = throttling.rate_key(schema="alfa", scope="api_key", ident=str(key.api_key.pk), window=window)
    assert expected == f"throttle:alfa:api_key:{key.api_key.pk}:{window}"
    cache = caches[throttling.CACHE_ALIAS]
    assert cache.get(expected) in (1, "1", b"1")
    # The same id in beta's schema is another counter.
    other = throttling.rate_key(schema="beta", scope="api_key", ident=str(key.api_key.pk), window=window)
    assert cache.get(other) is None


def test_anonymous_callers_are_counted_per_address_behind_trusted_proxy(tenant_a, rates):
    """DRF checks permissions before throttles, so this limit matters on open endpoints only: the throttle
    itself is exercised here. The request comes from 127.0.0.1, a trusted proxy: the client is the address
    it forwards, and whatever the client wrote before that is ignored."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    rates(anon="1/min")

    def allowed(forwarded):
        request = RequestFactory().get(URL, HTTP_X_FORWARDED_FOR=forwarded)
        request.user, request.auth = AnonymousUser(), None
        return throttling.ApiRateThrottle().allow_request(request, None)

    assert allowed("203.0.113.7") is True
    assert allowed("203.0.113.7") is False
    assert allowed("10.9.9.9, 203.0.113.7") is False  # a spoofed first hop does not buy a new quota
    assert allowed("203.0.113.8") is True


def test_unreachable_counter_store_lets_requests_through(tenants, api_token_a, rates, monkeypatch):
    rates(user="1/min")

    def broken(key, ttl):
        raise ConnectionError("redis down")

    monkeypatch.setattr(throttling, "hit", broken)
    client = host_client(tenants.alfa_host)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_a}"}
    assert [client.get(URL, **auth).status_code for _ in range(3)] == [200, 200, 200]


def test_parse_rate():
    assert throttling.parse_rate("120/min") == (120, 60)
    assert throttling.parse_rate("5/s") == (5, 1)
    assert throttling.parse_rate("1000/day") == (1000, 86400)
    assert throttling.parse_rate("") is None
