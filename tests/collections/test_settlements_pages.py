"""Settlement pages: new settlement (form -> preview -> confirm), the settlement page with its
lines, links, PDF and mark paid, the list (filters, totals, export, pinned queries), permissions
(Comercial sees none; Siniestros sees but cannot close), collaborator pages, admin."""
import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.collections.choices import SettlementState
from apps.collections.models import Settlement
from apps.collections.services.settlements import settlement_close
from tests.collections.test_settlements_support import (  # noqa: F401 (fixtures)
    FEB_1, FEB_28, collected_case, settle_case,
)
from tests.conftest import host_client

D = Decimal
BASE = "/recibos/liquidaciones/"
NEW = BASE + "nueva/"
COLLAB = "/recibos/colaboradores/liquidaciones/"


def _period(case, date="2026-03-05"):
    return {"insurer": case["insurer"].pk, "period_start": "2026-02-01", "period_end": "2026-02-28", "date": date}


def _close(case, actor):
    return settlement_close(actor=actor, insurer=case["insurer"], period_start=FEB_1, period_end=FEB_28,
                            date=datetime.date(2026, 3, 5))


def test_new_settlement_preview_then_confirm(client_a, collected_case):
    form = client_a.get(NEW)
    assert form.status_code == 200 and "Vida Colectiva Seguros" in form.content.decode()
    preview = client_a.get(NEW, _period(collected_case))
    html = preview.content.decode()
    assert preview.status_code == 200 and 'id="settlement-confirm"' in html
    assert "1.000,00 €" in html and "250,00 €" in html and "750,00 €" in html
    assert "La correduría paga a la compañía." in html and collected_case["receipt_a"].number in html
    assert not Settlement.objects.exists()
    done = client_a.post(NEW, _period(collected_case))
    settlement = Settlement.objects.get()
    assert done.status_code == 302 and done["Location"] == f"{BASE}{settlement.pk}/"
    assert settlement.amount_due == D("750.00")
    again = client_a.post(NEW, _period(collected_case))
    assert again.status_code == 409 and "ya está liquidado" in again.content.decode()
    assert Settlement.objects.count() == 1


def test_preview_of_nothing_says_so_and_offers_no_confirm(client_a, settle_case):
    html = client_a.get(NEW, _period(settle_case)).content.decode()
    assert 'id="settlement-empty"' in html and 'id="settlement-confirm"' not in html


def test_settlement_page_pdf_and_mark_paid(client_a, collected_case, admin_a):
    settlement = _close(collected_case, admin_a)
    page = client_a.get(f"{BASE}{settlement.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and settlement.number in html and 'id="invoice-link"' in html
    assert 'id="entry-link"' in html and 'id="settlement-pay"' in html and "750,00 €" in html
    assert collected_case["receipt_b"].number in html
    pdf = client_a.get(f"{BASE}{settlement.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    paid = client_a.post(f"{BASE}{settlement.pk}/pagar/", {"date": "2026-03-06"})
    assert paid.status_code == 302
    settlement.refresh_from_db()
    assert settlement.state == SettlementState.PAID
    twice = client_a.post(f"{BASE}{settlement.pk}/pagar/", {"date": "2026-03-07"}, follow=True)
    assert "ya consta pagada" in twice.content.decode()


def test_settlement_lines_are_shown_a_page_at_a_time(client_a, collected_case, admin_a, monkeypatch):
    from apps.collections.views import settlements as views

    settlement = _close(collected_case, admin_a)
    monkeypatch.setattr(views, "LINES_PER_PAGE", 1)  # two receipts: two pages of one line
    first = client_a.get(f"{BASE}{settlement.pk}/").content.decode()
    second = client_a.get(f"{BASE}{settlement.pk}/?lineas=2").content.decode()
    assert 'id="settlement-lines-pages"' in first and "Líneas 1–1 de 2" in first and "Líneas 2–2 de 2" in second
    numbers = (collected_case["receipt_a"].number, collected_case["receipt_b"].number)
    assert sum(number in first for number in numbers) == 1 and sum(number in second for number in numbers) == 1
    assert "750,00 €" in first and "750,00 €" in second  # the totals cover every line


def test_list_filters_totals_export_and_pinned_queries(client_a, collected_case, admin_a):
    _close(collected_case, admin_a)

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client_a.get(BASE).status_code == 200
        return len(ctx.captured_queries)

    one = count_queries()
    html = client_a.get(BASE).content.decode()
    assert "L-2026-000001" in html and "750,00 €" in html and 'id="settlement-totals"' in html
    assert "L-2026-000001" not in client_a.get(BASE + "?state=paid").content.decode()
    assert "L-2026-000001" in client_a.get(BASE + f"?insurer={collected_case['insurer'].pk}").content.decode()
    assert "L-2026-000001" not in client_a.get(BASE + "?period_from=2026-03-01").content.decode()
    export = client_a.get(BASE + "?export=csv")
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "L-2026-000001" in content and "750,00" in content
    assert client_a.get(BASE + "?export=xlsx").status_code == 200
    for n in range(2):  # more settlements, same queries
        Settlement.objects.create(number=f"L-2025-00000{n}", insurer=collected_case["insurer"],
                                  period_start=datetime.date(2025, n + 1, 1), period_end=datetime.date(2025, n + 1, 28),
                                  date=datetime.date(2025, n + 1, 28))
    assert count_queries() == one


def test_permissions(tenants, users_a, collected_case, admin_a):
    settlement = _close(collected_case, admin_a)
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    assert comercial.get(BASE).status_code == 403
    assert comercial.get(f"{BASE}{settlement.pk}/").status_code == 403
    siniestros = host_client(tenants.alfa_host, users_a["siniestros"])  # collections: view
    assert siniestros.get(BASE).status_code == 200
    assert siniestros.get(f"{BASE}{settlement.pk}/").status_code == 200
    assert siniestros.get(NEW).status_code == 403
    assert siniestros.post(f"{BASE}{settlement.pk}/pagar/", {"date": "2026-03-06"}).status_code == 403
    cobros = host_client(tenants.alfa_host, users_a["cobros"])
    assert cobros.get(NEW).status_code == 200
    assert host_client(tenants.alfa_host).get(BASE).status_code == 302  # to the login


def test_collaborator_pages(client_a, tenant_a):
    assert client_a.get(COLLAB).status_code == 200
    form = client_a.get(COLLAB + "nueva/")
    assert form.status_code == 200 and "Colaborador" in form.content.decode()


def test_admin_lists_settlements_read_only(client_a, collected_case, admin_a):
    settlement = _close(collected_case, admin_a)
    page = client_a.get("/admin/collections/settlement/")
    assert page.status_code == 200 and settlement.number in page.content.decode()
    assert client_a.get(f"/admin/collections/settlement/{settlement.pk}/delete/").status_code == 403
    assert client_a.get("/admin/collections/collaboratorsettlement/").status_code == 200
