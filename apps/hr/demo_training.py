"""Training and employee documents of the demo (apps.hr.demo, step 5).

Training: five courses of this year (four count for the LDS continuing training, an Excel course does not),
completed at even steps of the year so far, and who did which: with the yearly hours of the migration (25 for
levels 1 and 2, 15 for level 3) about half the distributors already have their hours and the others are short;
the temporary broker who started this year is «not yet required». Through apps.hr.services.training.

Documents: the signed employment contract of two people, a one-page PDF built here (no PDF library needed:
Helvetica in WinAnsiEncoding covers Spanish), uploaded through apps.hr.services.documents.document_upload."""
import datetime

from django.core.files.base import ContentFile
from django.db import connection

CONTRACT_PDF_PEOPLE = ("javier", "daniel")
# key, title, provider, hours, modality, counts for LDS, share of the year gone when it ended, days it lasted
COURSES = [
    ("lds", "Actualización normativa: Ley de Distribución de Seguros y protección del cliente",
     "Colegio de Mediadores de Seguros de Madrid", "10", "online", True, 0.2, 30),
    ("ibip", "Seguros de vida y productos de inversión basados en seguros (IBIP)",
     "CECAS · Centro de Estudios del Colegio de Mediadores", "15", "blended", True, 0.45, 45),
    ("aml", "Prevención del blanqueo de capitales en la mediación de seguros", "ICEA Formación", "5", "online",
     True, 0.6, 10),
    ("rc", "Responsabilidad civil y multirriesgo de empresas", "Mutua Levantina de Seguros y Reaseguros", "8",
     "on_site", True, 0.8, 2),
    ("excel", "Excel avanzado para la gestión de cartera", "Academia Ofimática Madrid", "12", "online", False,
     0.5, 20),
]
TRAINED = {"carmen": ("lds", "ibip"), "javier": ("lds", "aml"), "lucia": ("lds", "ibip"),
           "nuria": ("lds", "ibip", "rc"), "pablo": ("lds", "rc"), "irene": ("ibip", "aml", "rc"),
           "vicent": ("lds", "ibip"), "amparo": ("ibip", "aml"), "jorge": ("lds",), "daniel": ("lds",),
           "sergio": ("lds", "aml"), "marta": ("aml", "rc"), "beatriz": ("lds", "aml"), "alicia": ("aml", "rc"),
           "ruben": ("lds", "aml"), "valentina": ("lds",), "clara": ("lds", "aml"), "rosa": ("excel",),
           "hugo": ("excel",)}


def _pdf_text(value: str) -> bytes:
    escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("cp1252", "replace")


def tiny_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page A4 PDF (catalog, pages, page, font, content; cross-reference table with true offsets)
    with `title` in 15 pt and `lines` in 11 pt below it."""
    content = b"BT /F1 15 Tf 72 770 Td 18 TL (" + _pdf_text(title) + b") Tj /F1 11 Tf T* T*"
    for line in lines:
        content += b" (" + _pdf_text(line) + b") Tj T*"
    content += b" ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def _d(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def _euros(value) -> str:
    return f"{value:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


def contract_document(employee, contract) -> tuple[str, bytes]:
    """(title, PDF bytes) of the contract as signed."""
    brokerage = getattr(connection.tenant, "name", "") or "La correduría"
    kind = contract.get_kind_display()
    title = f"Contrato de trabajo · {kind.split(' (')[0]} · {employee.full_name}"
    lines = [f"Empresa: {brokerage}",
             f"Trabajador/a: {employee.full_name}, NIF {employee.tax_id}, NAF {employee.ss_number}",
             f"Modalidad: {kind} (clave {contract.sepe_code or '—'})",
             f"Puesto: {employee.position} · {contract.agreement_group}",
             f"Jornada: {contract.weekly_hours} horas semanales",
             f"Inicio: {_d(contract.start_date)} · Fin: {_d(contract.end_date)}",
             f"Salario bruto anual: {_euros(contract.annual_salary)} en {contract.payments_per_year} pagas",
             f"Convenio: {contract.agreement}",
             "",
             "Firmado por ambas partes en la fecha de inicio."]
    return title[:200], tiny_pdf("CONTRATO DE TRABAJO", lines)


def documents_seed(*, actor, people: dict) -> int:
    from apps.hr.choices import EmployeeDocumentKind
    from apps.hr.services.documents import document_upload

    uploaded = 0
    for key in CONTRACT_PDF_PEOPLE:
        employee = people[key]
        contract = employee.contracts.order_by("-start_date").first()
        title, pdf = contract_document(employee, contract)
        document_upload(actor=actor, employee=employee, kind=EmployeeDocumentKind.CONTRACT, title=title,
                        upload=ContentFile(pdf, name=f"contrato-{employee.code}.pdf"))
        uploaded += 1
    return uploaded


def training_seed(*, actor, people: dict, today: datetime.date) -> dict:
    from decimal import Decimal

    from apps.hr.services.training import course_create, training_record_add

    first = datetime.date(today.year, 1, 1)
    courses, ended = {}, {}
    for key, title, provider, hours, modality, counts, share, days in COURSES:
        ended[key] = first + datetime.timedelta(days=int((today - first).days * share))
        courses[key] = course_create(actor=actor, title=title, provider=provider, hours=Decimal(hours),
                                     modality=modality, counts_for_distribution=counts,
                                     start_date=ended[key] - datetime.timedelta(days=days - 1), end_date=ended[key])
    records = 0
    for person, taken in TRAINED.items():
        for key in taken:
            training_record_add(actor=actor, employee=people[person], course=courses[key], completed_on=ended[key])
            records += 1
    return {"courses": len(courses), "training_records": records}
