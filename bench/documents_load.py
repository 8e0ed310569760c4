"""Generated documents (issue 11 item 3): PDF generation time per document.

One brokerage of our own (cloned, bench_<pid>_documents), filled by the demo seeders (apps register them in
aitcore.registry: policies, receipts, quotes, invoices, settlements, payroll) and given a 200 × 80 px PNG
logo, so every PDF carries the letterhead as a data: URI like a real one.
  a) for each of the six templates (and the merge letter), the newest record of its kind: `runs` renders of
     document_render_pdf (HTML from the sandboxed template + xhtml2pdf) after one warm-up: median, p95 and
     min in ms, PDF size and pages, and the median of the HTML alone (template + context, no PDF);
  b) document_generate once per template: render + store as a document of the record (wall ms);
  c) mail merge to a segment of `merge_parties` parties without e-mail: letters per second.
Generated files go to a temporary MEDIA_ROOT, removed at the end with the brokerage.
"""
from __future__ import annotations

import shutil
import struct
import tempfile
import time
import zlib

from bench.common import drop_tenant, error_text, figure_done, median, percentile, run_part, say, section_ran


def _png(width: int = 200, height: int = 80) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes((30, 80, 160)) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _ensure_payslip(admin) -> None:
    """Three employees and last month's payroll when the demo seeders left none."""
    import datetime
    from decimal import Decimal

    from apps.accounting.services import fiscal_year_for_calendar_year
    from apps.hr.choices import ContractKind
    from apps.hr.models import Contract, Employee, Payslip
    from apps.hr.services.payroll import month_end, payroll_run_calculate

    if Payslip.objects.exists():
        return
    last = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
    fiscal_year_for_calendar_year(actor=admin, year=last.year)
    for n, salary in enumerate(("21000.00", "26000.00", "34000.00"), start=1):
        employee = Employee.objects.create(code=f"BD{n}", first_name=f"Persona{n}", last_name="Bench Documentos",
                                           tax_id=f"Y{n:07d}Z", ss_number=f"2810000000{n:02d}",
                                           irpf_rate=Decimal("12.00"))
        Contract.objects.create(employee=employee, kind=ContractKind.INDEFINITE, start_date=datetime.date(2020, 1, 1),
                                annual_salary=Decimal(salary), payments_per_year=14, contribution_group=5)
    payroll_run_calculate(actor=admin, year=last.year, month=last.month, payment_date=month_end(last.year, last.month))


def seed_documents(admin) -> dict:
    """The demo seeders one by one (a failing one is noted and the others still run), then the letterhead."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from aitcore.registry import registry
    from apps.documents.services.letterhead import letterhead_update

    t0, failed = time.perf_counter(), []
    for seeder in registry.demo_seeders:
        try:
            with transaction.atomic():
                seeder(admin=admin)
        except Exception as exc:  # noqa: BLE001 - demo data is only the material here
            failed.append(f"{seeder.__module__}: {error_text(exc)}")
    _ensure_payslip(admin)
    letterhead_update(actor=admin, address="Calle de Colón 12, 46004 Valencia",
                      logo=SimpleUploadedFile("logo.png", _png(), content_type="image/png"))
    return {"seconds": time.perf_counter() - t0, "seeders": len(registry.demo_seeders), "failed": failed}


def _pages(content: bytes) -> int | None:
    try:
        from pypdf import PdfReader  # installed with xhtml2pdf
    except ImportError:
        return None
    import io

    return len(PdfReader(io.BytesIO(content)).pages)


def _records() -> dict:
    from apps.documents.services.generation_kinds import KINDS

    return {code: kind.sources[0].readable(None).order_by("-pk").first() for code, kind in KINDS.items()}


def bench_pdf(runs: int) -> dict:
    from apps.documents.services.generation import document_render_html, document_render_pdf
    from apps.documents.services.generation_context import letterhead

    head, out = letterhead(), {}
    for code, record in _records().items():
        if record is None:
            out[code] = {"error": "no record of this kind in the demo data"}
            continue
        try:
            content = document_render_pdf(template_code=code, record=record, head=head)  # warm-up
            pdf_ms, html_ms = [], []
            for _ in range(runs):
                t0 = time.perf_counter()
                document_render_pdf(template_code=code, record=record, head=head)
                pdf_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                document_render_html(template_code=code, record=record, head=head)
                html_ms.append((time.perf_counter() - t0) * 1000)
            out[code] = {"record": str(record)[:40], "median_ms": median(pdf_ms), "p95_ms": percentile(pdf_ms, 95),
                         "min_ms": min(pdf_ms), "html_ms": median(html_ms), "bytes": len(content),
                         "pages": _pages(content)}
        except Exception as exc:  # noqa: BLE001 - one template's failure is its own line
            out[code] = {"error": error_text(exc)}
    return out


def bench_store(admin) -> dict:
    from apps.documents.services.generation import document_generate

    out = {}
    for code, record in _records().items():
        if record is None:
            continue
        t0 = time.perf_counter()
        document_generate(actor=admin, template_code=code, record=record)
        out[code] = (time.perf_counter() - t0) * 1000
    return out


def bench_merge(admin, parties: int) -> dict:
    from apps.crm.models import Party, Tag
    from apps.crm.services.segments import segment_create
    from apps.documents.services.mail_merge import mail_merge

    tag = Tag.objects.create(name="Bench cartas")
    ids = Party.objects.filter(anonymised_at__isnull=True).order_by("pk").values_list("pk", flat=True)[:parties]
    Party.tags.through.objects.bulk_create([Party.tags.through(party_id=pk, tag_id=tag.pk) for pk in ids])
    segment = segment_create(actor=admin, data={"name": "Bench cartas", "filters": {"tags": [tag.pk]}})
    t0 = time.perf_counter()
    result = mail_merge(actor=admin, segment=segment, subject="Novedades {{ nombre }}",
                        body_template="Estimado/a {{ nombre }}:\nLe escribimos para informarle de las novedades.",
                        send_email=False)
    seconds = time.perf_counter() - t0
    return {"letters": result["documents"], "seconds": seconds, "per_second": result["documents"] / seconds}


def bench_documents(*, runs: int = 20, merge_parties: int = 0) -> dict:
    from django.test import override_settings
    from django_tenants.utils import schema_context

    from apps.identity.models import User
    from bench.provisioning import provision

    started = time.perf_counter()
    media = tempfile.mkdtemp(prefix="bench-documents-")
    tenant, domain, _wall = provision("documents", use_template=True)
    schema = tenant.schema_name
    result = {"runs": runs, "schema": schema, "errors": {}}
    errors = result["errors"]
    try:
        with override_settings(MEDIA_ROOT=media):
            with schema_context(schema):
                admin = User.objects.get(email=f"admin@{domain}")
            run_part("seed", lambda: seed_documents(admin), schema=schema, result=result, errors=errors,
                     label="documents")
            run_part("pdf", lambda: bench_pdf(runs), schema=schema, result=result, errors=errors, label="documents")
            run_part("store", lambda: bench_store(admin), schema=schema, result=result, errors=errors,
                     label="documents")
            if merge_parties:
                run_part("merge", lambda: bench_merge(admin, merge_parties), schema=schema, result=result,
                         errors=errors, label="documents")
    except Exception as exc:  # noqa: BLE001 - the setup failed: nothing else can run
        errors["setup"] = error_text(exc)
    finally:
        drop_tenant(tenant)
        shutil.rmtree(media, ignore_errors=True)
    return figure_done(result, started)


def documents_report(data: dict | None, why: str) -> None:
    """The «PDF generation time per document» section. `why` is printed when the figure did not run."""
    if not section_ran(data, "12. Documents: PDF generation", why):
        return
    say(f"12. Documents: PDF generation (brokerage {data['schema']}, {data['runs']} runs each, whole figure "
        f"{data['wall_s']:.0f} s)")
    errors, seed, pdf, store, merge = data["errors"] or {}, data.get("seed"), data.get("pdf"), data.get("store"), \
        data.get("merge")
    if seed:
        say(f"   seed: {seed['seeders']} demo seeders + letterhead in {seed['seconds']:.1f} s")
        for failure in seed["failed"]:
            say(f"      (demo seeder failed, its records are missing: {failure[:160]})")
    for code, row in (pdf or {}).items():
        if "error" in row:
            say(f"   {code:<22} FAILED: {row['error']}")
            continue
        say(f"   {code:<22} median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  min {row['min_ms']:7.1f} ms"
            f"  (HTML {row['html_ms']:5.1f} ms)  {row['bytes'] / 1024:5.1f} KB, {row['pages'] or '?'} p.  "
            f"[{row['record']}]")
    if not pdf and "pdf" in errors:
        say(f"   a) FAILED: {errors['pdf']}")
    if store:
        say("   b) render + store as a document: " + ", ".join(f"{code} {ms:.0f} ms" for code, ms in store.items()))
    elif "store" in errors:
        say(f"   b) FAILED: {errors['store']}")
    if merge:
        say(f"   c) mail merge: {merge['letters']} letters in {merge['seconds']:.1f} s "
            f"({merge['per_second']:.1f} letters/s, stored, not e-mailed)")
    elif "merge" in errors:
        say(f"   c) FAILED: {errors['merge']}")
