"""Documents of an employee's record (contracts, payslips, certificates): HR uploads and deletes them, the
employee and HR open them (managers do not: they are private). The type is read from the file's first bytes,
never from its name or the browser's word: PDF, PNG, JPEG, and Word/Excel (DOCX/XLSX: a ZIP whose
[Content_Types].xml declares the document's main part). The stored name takes the extension of that type.
Files go to the default storage (filesystem locally, S3 in production) through the model's FileField."""
import dataclasses
import os
import zipfile

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.hr.access import employee_of, is_hr_staff
from apps.hr.choices import EmployeeDocumentKind
from apps.hr.errors import HRError
from apps.hr.models import EmployeeDocument

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", DOCX: ".docx", XLSX: ".xlsx"}
# The main part a genuine (macro-free) Word or Excel file declares, and where that part lives.
OFFICE_PARTS = {DOCX: ("wordprocessingml.document.main+xml", "word/document.xml"),
                XLSX: ("spreadsheetml.sheet.main+xml", "xl/workbook.xml")}
MAX_MANIFEST_BYTES = 256 * 1024
ACCEPTED_TYPES = gettext_lazy("PDF, PNG, JPEG, Word (DOCX) o Excel (XLSX)")

VERB_LABELS.setdefault("hr_document_upload", gettext_lazy("alta de documento del empleado"))
VERB_LABELS.setdefault("hr_document_delete", gettext_lazy("eliminación de documento del empleado"))
VERB_LABELS.setdefault("hr_document_download", gettext_lazy("descarga de documento del empleado"))


@dataclasses.dataclass
class OpenedDocument:
    handle: object          # an open binary file of the storage; the caller streams and closes it
    filename: str           # what the browser saves it as
    content_type: str


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _office_type(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            if info is None or info.file_size > MAX_MANIFEST_BYTES:
                return None
            manifest = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, RuntimeError):
        return None
    for content_type, (main_part, path) in OFFICE_PARTS.items():
        if main_part in manifest and path in names:
            return content_type
    return None


def detect_content_type(upload) -> str | None:
    """The accepted type the file's bytes say, or None."""
    upload.seek(0)
    head = upload.read(8)
    try:
        if head.startswith(b"%PDF-"):
            return "application/pdf"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "image/png"
        if head.startswith(b"\xff\xd8\xff"):
            return "image/jpeg"
        if head.startswith(b"PK\x03\x04"):
            upload.seek(0)
            return _office_type(upload)
        return None
    finally:
        upload.seek(0)


def download_name(document: EmployeeDocument) -> str:
    extension = os.path.splitext(document.file.name)[1] or EXTENSIONS.get(document.content_type, "")
    return f"{slugify(document.title)[:80] or 'documento'}{extension}"


def _require_hr(actor, message: str) -> None:
    if not is_hr_staff(actor):
        raise HRError(message, code="hr_document_hr_only", status=403)


def _checked(kind, title, upload) -> tuple[str, str, int]:
    """(title, content type, size) of an upload that passes every rule, else HRError."""
    if kind not in EmployeeDocumentKind.values:
        raise HRError(_("Elija el tipo de documento."), code="hr_document_kind", field="kind")
    title = (title or "").strip()
    if not title:
        raise HRError(_("Indique el título del documento."), code="hr_document_title", field="title")
    if len(title) > 200:
        raise HRError(_("El título admite 200 caracteres como máximo."), code="hr_document_title", field="title")
    size = getattr(upload, "size", None) if upload is not None else None
    if not size:
        raise HRError(_("Adjunte un archivo (no puede estar vacío)."), code="hr_document_file", field="file")
    if size > MAX_DOCUMENT_BYTES:
        raise HRError(_("El archivo ocupa %(size).1f MB: el máximo es 10 MB.") % {"size": size / 1024 / 1024},
                      code="hr_document_size", field="file")
    content_type = detect_content_type(upload)
    if content_type is None:
        raise HRError(_("Tipo de archivo no admitido: solo se aceptan %s (se comprueba el contenido del archivo, "
                        "no su nombre).") % ACCEPTED_TYPES, code="hr_document_type", field="file")
    return title, content_type, size


@transaction.atomic
def document_upload(*, actor, employee, kind, title, upload) -> EmployeeDocument:
    """Stores `upload` (an UploadedFile or File) in the employee's record. HR only."""
    _require_hr(actor, _("Solo RRHH puede subir documentos a la ficha de un empleado."))
    if employee is None:
        raise HRError(_("Indique el empleado."), code="hr_document_employee", field="employee")
    title, content_type, size = _checked(kind, title, upload)
    document = EmployeeDocument(employee=employee, kind=kind, title=title, content_type=content_type, size=size,
                                created_by=_actor(actor))
    stem = slugify(title)[:60] or kind
    document.file.save(f"{stem}{EXTENSIONS[content_type]}", upload, save=False)
    try:
        document.save()
        audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=document, verb="hr_document_upload",
                           changes={"employee": [None, employee.pk], "kind": [None, kind], "title": [None, title],
                                    "content_type": [None, content_type], "size": [None, size]})
    except Exception:
        document.file.storage.delete(document.file.name)  # no row, no file
        raise
    return document


@transaction.atomic
def document_delete(*, actor, document: EmployeeDocument) -> None:
    """Deletes the record now and its file once the deletion is committed. HR only."""
    _require_hr(actor, _("Solo RRHH puede eliminar documentos de la ficha de un empleado."))
    document = EmployeeDocument.objects.select_for_update().filter(pk=document.pk).first()
    if document is None:
        raise HRError(_("El documento no existe."), code="hr_document_not_found", status=404)
    storage, name = document.file.storage, document.file.name
    audit_event_record(actor=_actor(actor), action=AuditAction.DELETE, obj=document, verb="hr_document_delete",
                       changes={"employee": [document.employee_id, None], "kind": [document.kind, None],
                                "title": [document.title, None], "file": [name, None]})
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


def may_open(user, document: EmployeeDocument) -> bool:
    """The employee themself or HR; nobody else (their manager neither)."""
    if is_hr_staff(user):
        return True
    own = employee_of(user)
    return own is not None and own.pk == document.employee_id


@transaction.atomic
def document_open(*, actor, document: EmployeeDocument) -> OpenedDocument:
    """The file to stream, after the access check (404 to others: existence is not revealed); audited."""
    if not may_open(actor, document):
        raise HRError(_("El documento no existe."), code="hr_document_not_found", status=404)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise HRError(_("El archivo del documento no está disponible; avise a RRHH."),
                      code="hr_document_missing", status=404) from None
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, obj=document, verb="hr_document_download",
                       changes={"employee": [None, document.employee_id], "title": [None, document.title]})
    return OpenedDocument(handle=handle, filename=download_name(document),
                          content_type=document.content_type or "application/octet-stream")
