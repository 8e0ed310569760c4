"""The staff journey in a real browser: Debian's Chromium driven by Playwright against a real
uvicorn serving aitcore.asgi, on a brokerage provisioned (and committed) for this module.

The live server reads the database on its own connections, so everything it must see is
committed: the brokerage is provisioned once per module (its own schema and host per xdist
worker) and dropped at the end; nothing the server must see goes through the rolled back
transaction pytest-django gives each test.

Between two Playwright calls the sync API leaves its event loop marked as running in this
thread, which Django's async-safety check refuses; the tests therefore touch the database in a
short-lived helper thread (`_db`), with its own connection.
"""
import os
import re
import threading
import time
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.fixtures.live import LiveServer  # noqa: E402

# django_db (never transaction=True: its flush would empty the session brokerages) makes
# pytest-django create the test database even when this is the only module selected; the
# tests themselves write nothing through that rolled back transaction.
pytestmark = [pytest.mark.live, pytest.mark.django_db]

# One brokerage per pytest-xdist worker: two sessions (or workers) never share a schema or host.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
SCHEMA = f"browser_{WORKER}"
HOST = f"browser-{WORKER}.test"
OTHER_HOST = "alfa.test"  # session brokerage (tests/fixtures/tenants.py)
ADMIN_EMAIL = "jefa@browser.test"
PASSWORD = "Clave-Segura-2026"
TIMEOUT_MS = 5_000  # realtime: the badge and the toast must show within this
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    # Our hosts go to loopback; any other name fails to resolve, so nothing can leave the machine.
    f"--host-resolver-rules=MAP {HOST} 127.0.0.1, MAP {OTHER_HOST} 127.0.0.1, MAP * ~NOTFOUND",
]


def chromium_args(port: int) -> list[str]:
    # Production is https; over plain http Chromium ignores Django's Cross-Origin-Opener-Policy
    # header and logs a console error. Treating our origins as secure keeps the page as it is in
    # production (and the console clean) without filtering messages.
    origins = ",".join(f"http://{host}:{port}" for host in (HOST, OTHER_HOST))
    return [*CHROMIUM_ARGS, f"--unsafely-treat-insecure-origin-as-secure={origins}"]


def _db(fn):
    """Runs fn() in a fresh thread (own connection, closed afterwards) and returns its result."""
    from django.db import connections

    outcome = {}

    def run():
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # re-raised in the test
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "database helper thread hung"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _drop_brokerage() -> None:
    from django.db import connection

    from apps.tenancy.models import Domain, Tenant

    connection.set_schema_to_public()
    for tenant in Tenant.objects.filter(schema_name=SCHEMA):
        Domain.objects.filter(tenant=tenant).delete()
        tenant.delete(force_drop=True)
    Domain.objects.filter(domain=HOST).delete()


@pytest.fixture(scope="module")
def brokerage(tenants, django_db_blocker):
    """A brokerage of its own, committed, with two more users to search for."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.identity.services.users import user_create
    from apps.tenancy.services.provisioning import tenant_provision

    with django_db_blocker.unblock():
        _drop_brokerage()  # leftovers of an interrupted run on a kept database
        tenant = tenant_provision(actor=None, schema=SCHEMA, name="Correduría Navegador", tax_id="B86561412",
                                  domain=HOST, admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
        with schema_context(SCHEMA):
            user_create(actor=None, email="lucia.ferrer@browser.test", password=PASSWORD, first_name="Lucía",
                        last_name="Ferrer")
            user_create(actor=None, email="pedro.gomez@browser.test", password=PASSWORD, first_name="Pedro",
                        last_name="Gómez")
        connection.set_schema_to_public()
        try:
            yield tenant
        finally:
            _drop_brokerage()


@pytest.fixture(scope="module")
def site(brokerage, django_db_blocker):
    """Base URL of a real uvicorn serving the project (static files through Django's finders,
    as runserver does: the test settings have no collected STATIC_ROOT)."""
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from aitcore.asgi import application

    with django_db_blocker.unblock(), LiveServer(ASGIStaticFilesHandler(application)) as server:
        yield f"http://{HOST}:{server.port}", server.port


class Journey:
    """One browser context (fresh cookies) with everything that went wrong or went out recorded."""

    def __init__(self, browser, base: str, port: int):
        self.base, self.port = base, port
        self.context = browser.new_context(locale="es-ES", timezone_id="Europe/Madrid")
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.urls: list[str] = []
        self.frames: list[str] = []
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("request", lambda request: self.urls.append(request.url))
        self.page.on("websocket", self._websocket)

    def _websocket(self, ws):
        self.urls.append(ws.url)
        ws.on("framereceived", lambda payload: self.frames.append(payload if isinstance(payload, str) else ""))

    def login(self):
        page = self.page
        page.goto(f"{self.base}/cuenta/entrar/")
        page.get_by_label("Correo electrónico").fill(ADMIN_EMAIL)
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hola")

    def wait_for_frame(self, needle: str, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(needle in frame for frame in self.frames):
            assert time.monotonic() < deadline, f"no websocket frame with {needle!r}; got {self.frames}"
            self.page.wait_for_timeout(50)

    def assert_clean(self):
        assert self.errors == [], self.errors
        local = {HOST, OTHER_HOST}
        outside = [url for url in self.urls
                   if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname not in local]
        assert outside == [], outside
        assert all(urlsplit(url).scheme in ("http", "ws", "data", "blob") for url in self.urls), self.urls


@pytest.fixture
def journey(site):
    """A fresh Chromium per test. Playwright's sync API leaves its event loop marked as running
    in this thread while it is alive, and pytest-django opens each test's (unused) transaction
    on this thread's connection before the test's own fixtures: so Playwright starts after that
    and stops before the rollback. Launching costs well under a second."""
    base, port = site
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args(port), headless=True)
        journey = Journey(browser, base, port)
        try:
            yield journey
        finally:
            browser.close()


def test_login_search_edit_and_history(journey, django_db_blocker):
    page = journey.page
    journey.login()

    page.locator("#app-sidebar").get_by_role("link", name="Usuarios").click()
    expect(page).to_have_url(f"{journey.base}/r/identity/user/")
    rows = page.locator("#record-table tbody tr")
    expect(rows).to_have_count(3)

    page.evaluate("window.__noReload = 1")
    with page.expect_request(lambda request: "q=Ferrer" in request.url and request.headers.get("hx-request") == "true"):
        page.locator("#q").fill("Ferrer")  # htmx: input, 300 ms debounce, GET, swap #record-table
    expect(page).to_have_url(re.compile(r"/r/identity/user/\?(.*&)?q=Ferrer"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("lucia.ferrer@browser.test")
    assert page.evaluate("window.__noReload") == 1, "the search reloaded the whole page"

    rows.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lucía Ferrer")
    page.get_by_role("link", name="Editar").click()
    page.get_by_label("Teléfono").fill("+34 612 345 678")
    page.get_by_role("button", name="Guardar").click()

    expect(page).to_have_url(re.compile(r"/r/identity/user/\d+/$"))
    expect(page.locator(".app-fields")).to_contain_text("+34 612 345 678")
    history = page.locator("#record-history")
    latest = history.locator(".app-timeline-item").first  # newest first: this edit
    expect(latest.locator(".app-change", has_text="+34 612 345 678")).to_contain_text("Teléfono")

    def phone_in_db():
        from django_tenants.utils import schema_context

        from apps.identity.models import User

        with schema_context(SCHEMA):
            return User.objects.get(email="lucia.ferrer@browser.test").phone

    with django_db_blocker.unblock():
        assert _db(phone_in_db) == "+34 612 345 678"
    journey.assert_clean()


def test_notification_arrives_live(journey, django_db_blocker):
    from django_tenants.utils import schema_context

    from apps.identity.models import User
    from apps.notifications.models import Notification
    from apps.notifications.services.notifications import notification_send

    def clear_inbox():
        with schema_context(SCHEMA):
            Notification.objects.filter(recipient__email=ADMIN_EMAIL).delete()

    def send():
        with schema_context(SCHEMA):  # autocommit: the push goes out on commit
            notification_send(recipient=User.objects.get(email=ADMIN_EMAIL), title="Recibo devuelto",
                              body="Póliza 1234")

    page = journey.page
    with django_db_blocker.unblock():
        _db(clear_inbox)
    journey.login()
    badge = page.locator("#notification-count")
    expect(badge).to_be_hidden()
    expect(badge).to_have_text("0")
    journey.wait_for_frame('"hello"')  # the socket is open and subscribed

    with django_db_blocker.unblock():
        _db(send)
    sent = time.monotonic()
    expect(badge).to_be_visible(timeout=TIMEOUT_MS)
    expect(badge).to_have_text("1", timeout=TIMEOUT_MS)
    expect(page.locator("#toasts .toast")).to_contain_text("Recibo devuelto", timeout=TIMEOUT_MS)
    assert time.monotonic() - sent < TIMEOUT_MS / 1000
    journey.assert_clean()


def test_other_brokerage_host_shows_its_own_login(journey):
    page = journey.page
    journey.login()

    page.goto(f"http://{OTHER_HOST}:{journey.port}/")
    expect(page).to_have_url(re.compile(rf"^http://{re.escape(OTHER_HOST)}:{journey.port}/cuenta/entrar/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Acceso del personal")
    expect(page.locator(".app-brand-tenant")).to_have_text("Correduría Alfa")
    expect(page.get_by_text("Hola")).to_have_count(0)
    expect(page.locator("#app-sidebar")).to_have_count(0)
    journey.assert_clean()


def _policy_with_receipts() -> dict:
    """A monthly life policy (no premium taxes) issued today in the journey's brokerage: its
    receipts come from the policy hook; none is collected yet."""
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from apps.crm.services.parties import party_create
    from apps.insurance.lines import get_line
    from apps.insurance.services.policies import policy_create
    from tests.fixtures.insurance import make_product

    with schema_context(SCHEMA):
        product = make_product("vida")
        holder = party_create(actor=None, data={"kind": "person", "first_name": "Rosa", "last_name": "Navarro Gil",
                                                "tax_id": "12345678Z"})
        policy = policy_create(actor=None, insurer=product.insurer, number="VIDA-NAV-1", product=product,
                               policyholder=holder, start_date=timezone.localdate(),
                               payment_frequency="monthly", payment_method="broker_other",
                               risk=get_line("vida").sample_risk(), issue=True)
        first = policy.receipts.order_by("sequence").first()
        return {"policy": policy.pk, "receipts": policy.receipts.count(), "first": first.number}


def test_receipt_collection_restores_cover_on_the_policy_page(journey, django_db_blocker):
    page = journey.page
    with django_db_blocker.unblock():
        data = _db(_policy_with_receipts)
    assert data["receipts"] == 12
    journey.login()

    page.goto(f"{journey.base}/seguros/polizas/{data['policy']}/")
    panel = page.locator("#policy-receipts")
    expect(panel).to_contain_text("primera prima")  # art. 15 LCS: no cover until the first premium is paid
    expect(panel.locator("tbody tr")).to_have_count(12)
    panel.locator("tbody").get_by_role("link", name=data["first"]).click()

    collect = page.locator("#collect-form")
    collect.get_by_label("Medio de cobro").select_option("transfer")
    collect.get_by_role("button", name="Registrar cobro").click()
    expect(page.locator("body")).to_contain_text("Cobrado")

    page.goto(f"{journey.base}/seguros/polizas/{data['policy']}/")
    expect(page.locator("#policy-receipts")).to_contain_text("Con cobertura")
    journey.assert_clean()
