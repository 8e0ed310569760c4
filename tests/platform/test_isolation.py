"""A user or token of one brokerage gets nothing from another brokerage's host."""
import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from aitcore.registry import registry
from tests.conftest import host_client

REFUSED = {302, 401, 403, 404}


def _page_urls():
    """Every registered list page plus the shell pages (no path parameters)."""
    urls = ["/", "/notificaciones/"]
    for resource in registry.resources:
        prefix = f"/r/{resource.model._meta.app_label}/{resource.model._meta.model_name}/"
        urls.append(prefix)
        if resource.can_create:
            urls.append(prefix + "nuevo/")
    return urls


def _api_list_urls():
    return ["/api/v1/" + route.prefix + "/" for route in registry.api_routes]


def test_registry_has_routes_to_walk():
    assert len(_api_list_urls()) >= 5
    assert len(_page_urls()) >= 5


@pytest.mark.parametrize("url", _page_urls() + _api_list_urls())
def test_own_session_works_on_own_host(client_a, url):
    assert client_a.get(url).status_code == 200


@pytest.mark.parametrize("url", _page_urls() + _api_list_urls())
def test_session_of_alfa_is_refused_on_beta_host(tenants, admin_a, url):
    client = host_client(tenants.beta_host, admin_a)
    response = client.get(url)
    assert response.status_code in REFUSED
    if response.status_code == 302:
        assert "/cuenta/entrar/" in response["Location"]
    assert b"admin@alfa.test" not in response.content


@pytest.mark.parametrize("url", _api_list_urls())
def test_token_of_alfa_is_refused_on_beta_host(tenants, api_token_a, url):
    client = host_client(tenants.beta_host)
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert "otra correduría" in response.json()["detail"]


@pytest.mark.parametrize("url", _api_list_urls())
def test_token_of_alfa_works_on_alfa_host(tenants, api_token_a, url):
    client = host_client(tenants.alfa_host)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {api_token_a}").status_code == 200


def test_alfa_token_cannot_refresh_on_beta(tenants, tenant_a):
    from tests.fixtures.tenants import PASSWORD

    alfa = host_client(tenants.alfa_host)
    pair = alfa.post("/api/v1/auth/token/", {"email": tenants.emails["admin"], "password": PASSWORD},
                     content_type="application/json").json()
    beta = host_client(tenants.beta_host)
    response = beta.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, content_type="application/json")
    assert response.status_code == 401
    assert alfa.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]},
                     content_type="application/json").status_code == 200


def test_every_tenant_url_is_covered():
    """A new list route added without appearing in the walk above would fail here."""
    resolver = get_resolver("aitcore.urls")

    def names(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from names(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name and p.name.endswith("-list"):
                yield (prefix + str(p.pattern)).replace("^", "").replace("$", "")

    api_lists = {n for n in names(resolver.url_patterns) if n.startswith("api/v1/") and "<" not in n and "(" not in n}
    walked = {u.lstrip("/") for u in _api_list_urls()}
    assert api_lists <= walked | {"api/v1/"}
