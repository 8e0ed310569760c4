"""Two colleagues on the same client's 360° page, each in a real Chromium: they see each other's avatar,
a comment one writes appears for the other, and a change made by a service reaches both pages, all
without reloading. A real uvicorn serves aitcore.asgi on the session brokerage alfa.
What the server must see is committed (tests.fixtures.browser.in_db_thread) and removed at the end.
"""
import os

import pytest

from tests.fixtures.browser import CHROMIUM, browser_args, in_db_thread, signed_in_page

if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

pytestmark = [pytest.mark.live, pytest.mark.django_db]
HOST = "alfa.test"


@pytest.fixture
def party(tenants, site):
    from django.urls import reverse

    from apps.collaboration.models import Comment
    from apps.crm.models import Party
    from apps.identity.models import User

    def create():
        admin = User.objects.get(email=tenants.emails["admin"])
        party = Party.objects.create(display_name="Rosa Colaboración", first_name="Rosa", last_name="Colaboración",
                                     account_manager=admin)
        return party.pk, reverse("ui:crm-party-detail", args=[party.pk])

    pk, path = in_db_thread(create)
    yield pk, f"http://{HOST}:{site}{path}"
    in_db_thread(lambda: (Comment.objects.filter(object_id=pk, content_type__model="party").delete(),
                 Party.objects.filter(pk=pk).delete()))


def test_two_colleagues_see_presence_comment_and_live_change(tenants, site, party):
    from apps.identity.models import User

    pk, url = party
    args = browser_args(HOST, site)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        try:
            admin, admin_errors = signed_in_page(browser, HOST, site, tenants.emails["admin"])
            boss, boss_errors = signed_in_page(browser, HOST, site, tenants.emails["direccion"])
            boss_id = in_db_thread(lambda: User.objects.get(email=tenants.emails["direccion"]).pk)
            admin_id = in_db_thread(lambda: User.objects.get(email=tenants.emails["admin"]).pk)
            admin.goto(url)
            boss.goto(url)

            # Presence: each sees the other's avatar; when one leaves, the other sees it go.
            expect(admin.locator(f"#collab-presence [data-user-id='{boss_id}']")).to_have_count(1)
            expect(boss.locator(f"#collab-presence [data-user-id='{admin_id}']")).to_have_count(1)
            expect(admin.locator("[data-collab-count]")).to_contain_text("2")

            # A comment written by one appears on the other's page, escaped.
            admin.locator("#collab-body-new").fill("Revisar la franquicia <b>hoy</b>")
            admin.get_by_role("button", name="Comentar").click()
            expect(boss.locator("#collab-comments-thread")).to_contain_text("Revisar la franquicia <b>hoy</b>")

            # A change through the service reaches both open pages.
            def rename():
                from apps.crm.models import Party
                from apps.crm.services.parties import party_update

                actor = User.objects.get(email=tenants.emails["admin"])
                party_update(actor=actor, party=Party.objects.get(pk=pk), data={"first_name": "Rosalía"})

            in_db_thread(rename)
            for page in (admin, boss):
                expect(page.get_by_role("heading", level=1)).to_contain_text("Rosalía")
            expect(boss.locator("#collab-comments-thread")).to_contain_text("Revisar la franquicia")

            boss.close()
            expect(admin.locator(f"#collab-presence [data-user-id='{boss_id}']")).to_have_count(0)
            assert admin_errors == [] and boss_errors == [], admin_errors + boss_errors
        finally:
            browser.close()
