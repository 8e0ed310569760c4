"""The shared note in a real browser: two Chromium contexts on the same client's 360° page type into the
note at once (the esbuild bundle static/vendor/collab/note-editor.js, Quill + Yjs over /ws/notes/), against
a real uvicorn serving aitcore.asgi, on the session brokerage alfa (committed, tests/fixtures/tenants.py).

Playwright's sync API leaves its event loop marked as running in this thread, so the database is touched in
a short-lived helper thread with its own connection (as tests/browser/test_staff_journey.py does); what the
server must see is committed there, and removed at the end.
"""
import os
from pathlib import Path

import pytest

from tests.fixtures.browser import CHROMIUM, browser_args, in_db_thread, signed_in_page

BUNDLE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "collab" / "note-editor.js"
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}", allow_module_level=True)
if not BUNDLE.exists():
    pytest.skip("the note editor bundle is missing: run `make assets`", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

pytestmark = [pytest.mark.live, pytest.mark.django_db]
HOST = "alfa.test"


@pytest.fixture
def party_page(tenants, site):
    from django.urls import reverse

    from apps.collaboration.models import SharedNote
    from apps.crm.models import Party
    from apps.identity.models import User

    def create():
        admin = User.objects.get(email=tenants.emails["admin"])
        party = Party.objects.create(display_name="Nota Navegador", first_name="Nota", last_name="Navegador",
                                     account_manager=admin)
        return party.pk, reverse("ui:crm-party-detail", args=[party.pk])

    pk, path = in_db_thread(create)
    yield pk, f"http://{HOST}:{site}{path}"
    in_db_thread(lambda: (SharedNote.objects.filter(object_id=pk, content_type__model="party").delete(),
                 Party.objects.filter(pk=pk).delete()))


def test_two_tabs_type_at_once_and_converge(tenants, site, party_page):
    from apps.collaboration.models import SharedNote

    pk, url = party_page
    args = browser_args(HOST, site)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        try:
            (first, first_errors), (second, second_errors) = (signed_in_page(browser, HOST, site, tenants.emails["admin"]) for _ in range(2))
            for page in (first, second):
                page.goto(url)
                expect(page.locator("[data-note-status]")).to_have_attribute("data-state", "saved")
            editors = [page.locator("#collab-note .ql-editor") for page in (first, second)]
            editors[0].click()
            first.keyboard.type("Llamar al cliente")
            expect(editors[1]).to_have_text("Llamar al cliente")
            # Both type at the end of the same line before hearing of each other.
            editors[1].click()
            second.keyboard.press("End")
            first.keyboard.press("End")
            first.keyboard.type(" el lunes")
            second.keyboard.type(" por el hogar")
            for editor in editors:
                expect(editor).to_contain_text("el lunes")
                expect(editor).to_contain_text("por el hogar")
            for page in (first, second):
                expect(page.locator("[data-note-status]")).to_have_attribute("data-state", "saved")
            text = editors[0].inner_text().strip()
            assert editors[1].inner_text().strip() == text
            expect(second.locator("#collab-note .ql-cursor")).to_have_count(1)  # the other tab's cursor
            stored = in_db_thread(lambda: SharedNote.objects.get(object_id=pk, content_type__model="party").text)
            assert stored == text
            second.reload()
            expect(editors[1]).to_have_text(text)
            assert first_errors == [] and second_errors == [], first_errors + second_errors

            # Without JavaScript: the text, read-only.
            plain, _errors = signed_in_page(browser, HOST, site, tenants.emails["admin"], java_script_enabled=False)
            plain.goto(url)
            expect(plain.locator("[data-note-fallback]")).to_contain_text(text)
        finally:
            browser.close()
