"""The CSP page walk (issue 12, item 3): every staff page, rendered with real data (the registered demo
seeders, in the test's rolled back transaction), carries the Content-Security-Policy header and nothing
the policy would block:
- a <script> without src (json_script data blocks, type="application/json", are fine),
- an on*="..." attribute, a javascript: URL,
- a style="..." attribute or a <style> block without the page's nonce (style-src has no 'unsafe-inline').
Pages walked: every URL without parameters in the tenant URL conf, each registered resource's list, new,
detail and edit pages with a real record, the app pages whose only parameter is the pk of a model, and the
Django admin (index, each model's list, add and change pages)."""
import logging
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from aitcore.registry import registry

log = logging.getLogger(__name__)

SKIP_PREFIXES = ("/api/", "/health/", "/metrics", "/static/", "/media/", "/ws/", "/i18n/", "/cuenta/salir",
                 "/admin/logout", "/admin/jsi18n", "/admin/r/", "/admin/autocomplete", "/bench/")
SKIP_WORDS = ("export", "exportar", "descargar", "pdf", "csv", "xlsx", "xml", "download", "borrar", "delete", "salir",
              "logout", "/sepa", "fichero", "/n43")


class Violations(HTMLParser):
    def __init__(self, nonce: str | None):
        super().__init__(convert_charrefs=True)
        self.nonce, self.found = nonce, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f'<{tag} {name}="{(value or "")[:40]}">')
            if name in ("href", "src", "action", "formaction", "data", "hx-get", "hx-post") and value \
                    and value.strip().lower().startswith("javascript:"):
                self.found.append(f'<{tag} {name}="javascript:...">')
            if name == "style":
                self.found.append(f'<{tag} style="{(value or "")[:40]}">')
        if tag == "script" and not attrs.get("src") and (attrs.get("type") or "").lower() != "application/json":
            self.found.append("<script> without src")
        if tag == "style" and (not self.nonce or attrs.get("nonce") != self.nonce):
            self.found.append("<style> without the page's nonce")


def violations(response) -> list[str]:
    csp = response.get("Content-Security-Policy", "")
    problems = [] if csp else ["no Content-Security-Policy header"]
    if "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
        problems.append(f"weak policy: {csp}")
    match = re.search(r"'nonce-([^']+)'", csp)
    parser = Violations(match.group(1) if match else None)
    parser.feed(response.content.decode(errors="replace"))
    return problems + parser.found


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _as_path(route: str) -> str:
    return "/" + route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")


def _model_of(callback):
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    model = getattr(view, "model", None) if view else None
    if model is None and view is not None and getattr(view, "queryset", None) is not None:
        model = view.queryset.model
    resource = (getattr(callback, "view_initkwargs", None) or {}).get("resource")
    return resource.model if resource is not None else model


def _seed_demo_data(admin_user):
    """Every registered demo seeder, each in a savepoint: one that fails does not stop the walk."""
    failed = []
    for seeder in registry.demo_seeders:
        try:
            with transaction.atomic():
                seeder(admin=admin_user)
        except Exception as exc:  # noqa: BLE001 - reported, the pages of the others are still walked
            failed.append(f"{getattr(seeder, '__module__', seeder)}: {type(exc).__name__}: {exc}"[:200])
    return failed


def staff_urls() -> list[str]:
    urls = set()
    for route, entry in _patterns(get_resolver("aitcore.urls")):
        if "(?P<" in route or "<" in route:
            continue
        urls.add(_as_path(route))
    for resource in registry.resources:
        prefix = f"/r/{resource.model._meta.app_label}/{resource.model._meta.model_name}/"
        urls.add(prefix)
        if resource.can_create:
            urls.add(prefix + "nuevo/")
        obj = resource.base_queryset().first()
        if obj is not None:
            urls.add(f"{prefix}{obj.pk}/")
            if resource.can_edit:
                urls.add(f"{prefix}{obj.pk}/editar/")
    # App pages whose only parameter is the pk of the view's model.
    for route, entry in _patterns(get_resolver("aitcore.urls")):
        params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        if route.startswith(("r/", "admin/", "api/")) or [name for _conv, name in params] != ["pk"]:
            continue
        model = _model_of(entry.callback)
        obj = model._default_manager.order_by("pk").first() if model is not None else None
        if obj is not None:
            urls.add(_as_path(re.sub(r"<(?:\w+:)?pk>", str(obj.pk), route)))
    # The Django admin of the brokerage.
    urls.add("/admin/")
    for model, _model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls.update({base, base + "add/"})
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.add(f"{base}{obj.pk}/change/")
    return sorted(url for url in urls
                  if not url.startswith(SKIP_PREFIXES) and not any(word in url.lower() for word in SKIP_WORDS))


@pytest.mark.django_db
def test_every_staff_page_renders_under_the_csp_without_violations(client_a, admin_a, settings):
    failed_seeders = _seed_demo_data(admin_a)
    urls = staff_urls()
    assert len(urls) > 100, urls  # the walk really walks
    problems, walked, statuses = {}, 0, {}
    for url in urls:
        try:
            response = client_a.get(url)
        except Exception as exc:  # noqa: BLE001 - a page that crashes is someone else's bug, not a CSP one
            statuses[url] = type(exc).__name__
            continue
        statuses[url] = response.status_code
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        if getattr(response, "streaming", False):
            continue
        walked += 1
        found = violations(response)
        if found:
            problems[url] = sorted(set(found))[:5]
    if failed_seeders:
        log.warning("demo seeders that failed (pages of their data not walked): %s", failed_seeders)
    assert walked > 100, {url: code for url, code in statuses.items() if code != 200}
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())


def test_the_walk_detects_each_kind_of_violation():
    from django.http import HttpResponse

    response = HttpResponse(
        '<script>alert(1)</script><script src="/s.js"></script>'
        '<script type="application/json" id="d">{"a": 1}</script>'
        '<a href="javascript:void(0)">x</a><button onclick="go()">y</button><div style="color:red"></div>'
        '<style>p{}</style>')
    response["Content-Security-Policy"] = "script-src 'self'"
    found = violations(response)
    assert "<script> without src" in found
    assert '<a href="javascript:...">' in found
    assert '<button onclick="go()">' in found
    assert '<div style="color:red">' in found
    assert "<style> without the page's nonce" in found
    assert len(found) == 5  # the src script and the json_script block are fine
    clean = HttpResponse('<script src="/s.js"></script>')
    assert violations(clean) == ["no Content-Security-Policy header"]
