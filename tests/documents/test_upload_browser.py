"""The «Documentos» panel in a real browser (static/documents/upload.js against a real uvicorn serving
aitcore.asgi, Debian's Chromium): several files chosen at once upload with a progress bar each, a disguised
executable shows its refusal under its own name while the others are stored, files dropped on the zone
upload the same way, and «Nueva versión» adds v2. The database is touched in a helper thread
(tests/fixtures/browser.py); what the server must see is committed there and removed at the end."""
import os

import pytest

from apps.documents.samples import sample_pdf
from tests.documents.conftest import EXE
from tests.fixtures.browser import CHROMIUM, browser_args, in_db_thread, signed_in_page

if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

pytestmark = [pytest.mark.live, pytest.mark.django_db]
HOST = "alfa.test"
DROP = """(zone, files) => {
  const transfer = new DataTransfer();
  files.forEach(([name, text]) => transfer.items.add(new File([text], name, {type: "text/plain"})));
  zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
}"""


@pytest.fixture
def party_page(tenants, site, media):
    from django.urls import reverse

    from apps.crm.models import Party
    from apps.documents.models import Document
    from apps.identity.models import User

    def create():
        admin = User.objects.get(email=tenants.emails["admin"])
        party = Party.objects.create(display_name="Carga Navegador", first_name="Carga", last_name="Navegador",
                                     account_manager=admin)
        return party.pk, reverse("ui:crm-party-detail", args=[party.pk])

    pk, path = in_db_thread(create)
    yield pk, f"http://{HOST}:{site}{path}"
    in_db_thread(lambda: (Document.all_objects.filter(object_id=pk, content_type__model="party").delete(),
                          Party.objects.filter(pk=pk).delete()))


def test_several_files_upload_with_a_progress_bar_each(tenants, site, party_page):
    from apps.documents.models import Document

    pk, url = party_page
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=browser_args(HOST, site), headless=True)
        try:
            page, errors = signed_in_page(browser, HOST, site, tenants.emails["admin"])
            page.goto(url)
            panel = page.locator("#documents-panel")
            panel.locator("#documents-file").set_input_files([
                {"name": "condiciones.pdf", "mimeType": "application/pdf",
                 "buffer": sample_pdf(["Condiciones particulares"])},
                {"name": "factura.pdf", "mimeType": "application/pdf", "buffer": EXE}])
            rows = panel.locator(".js-documents-upload .js-documents-progress li")
            expect(rows).to_have_count(2)
            expect(rows.nth(0).locator(".progress-bar.bg-success")).to_have_count(1)
            expect(rows.nth(1).locator(".progress-bar.bg-danger")).to_have_count(1)
            expect(rows.nth(1)).to_contain_text("«factura.pdf» es un programa ejecutable")
            expect(panel.locator(".js-documents-list")).to_contain_text("condiciones")

            panel.locator(".js-documents-drop").evaluate(DROP, [["notas.txt", "Llamar el lunes"],
                                                                ["datos.csv", "a;b\n1;2"]])
            expect(rows).to_have_count(4)
            expect(panel.locator(".js-documents-list")).to_contain_text("datos")
            expect(panel.locator(".js-documents-list")).to_contain_text("notas")

            first = in_db_thread(lambda: Document.objects.get(object_id=pk, content_type__model="party",
                                                              title="condiciones").pk)
            panel.locator(f"#documents-version-{first}").set_input_files(
                {"name": "condiciones-2.pdf", "mimeType": "application/pdf", "buffer": sample_pdf(["Versión 2"])})
            expect(panel.locator(f"#document-{first}")).to_contain_text("v2")
            titles = in_db_thread(lambda: sorted(Document.objects.filter(object_id=pk, content_type__model="party")
                                                 .values_list("title", flat=True)))
            assert titles == ["condiciones", "datos", "notas"]
            # the refused upload's 400 is the only resource error the console reports
            assert [e for e in errors if "status of 400" not in e] == [], errors
        finally:
            browser.close()
