"""Tasks (with due dates) and documents of a claim, and the daily reminder of tasks due.

Documents: at most 20 MB; the type is read from the file's first bytes, never from its name or
the browser's word: PDF, JPEG, PNG, HEIC/HEIF and DOCX (a zip holding word/document.xml).
Anything else is refused with code «claim_document_type»."""
import datetime
import os
import zipfile

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.claims.errors import ClaimError
from apps.claims.models import ClaimDocument, ClaimTask
from apps.claims.services.common import actor_or_none, fmt_date, locked, record, require_date, touch

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
ACCEPTED_TYPES = _("PDF, JPEG, PNG, HEIC o DOCX")


# --- Tasks ------------------------------------------------------------------------------------------

@transaction.atomic
def claim_task_add(*, actor, claim, title: str, due_date: datetime.date, assignee=None, notes: str = "") -> ClaimTask:
    """A task with a deadline; assigned to the claim's handler unless someone else is named."""
    claim = locked(claim)
    title = (title or "").strip()
    if not title:
        raise ClaimError(_("Indique la tarea."), code="claim_task_title", field="title")
    due_date = require_date(due_date, "due_date", _("Indique la fecha límite de la tarea."))
    assignee = assignee if assignee is not None else claim.handler
    task = ClaimTask.objects.create(claim=claim, title=title[:200], due_date=due_date, assignee=assignee,
                                    notes=(notes or "").strip(), created_by=actor_or_none(actor),
                                    updated_by=actor_or_none(actor))
    touch(claim, actor)
    record(actor=actor, claim=claim, verb="claim_task_add", event="task_added",
           changes={"tarea": [None, f"{task.title} ({fmt_date(due_date)})"]}, task=task.pk)
    return task


@transaction.atomic
def claim_task_done(*, actor, task: ClaimTask, notes: str = "") -> ClaimTask:
    claim = locked(task.claim_id)
    task = ClaimTask.objects.select_for_update().get(pk=task.pk, claim=claim)
    if task.done_at is not None:
        raise ClaimError(_("La tarea «%s» ya está hecha.") % task.title, code="claim_task_done", status=409)
    task.done_at = timezone.now()
    if notes:
        task.notes = (task.notes + "\n" if task.notes else "") + notes.strip()
    task.updated_by = actor_or_none(actor)
    task.version += 1
    task.save(update_fields=["done_at", "notes", "updated_by", "version", "updated_at"])
    touch(claim, actor)
    record(actor=actor, claim=claim, verb="claim_task_done", event="task_done",
           changes={"tarea": [task.title, _("hecha")]}, task=task.pk)
    return task


def tasks_due(today: datetime.date):
    """Open tasks due today or earlier, with an assignee."""
    return (ClaimTask.objects.filter(done_at__isnull=True, due_date__lte=today, assignee__isnull=False,
                                     assignee__is_active=True)
            .select_related("claim", "assignee").order_by("assignee_id", "due_date", "pk"))


def claim_tasks_notify(*, today: datetime.date | None = None) -> int:
    """One notification per assignee listing its claim tasks due today or overdue. Returns how many
    tasks were included."""
    from apps.notifications.services.notifications import notification_send

    today = today or timezone.localdate()
    by_user: dict = {}
    for task in tasks_due(today):
        by_user.setdefault(task.assignee_id, (task.assignee, []))[1].append(task)
    count = 0
    for user, tasks in by_user.values():
        count += len(tasks)
        overdue = sum(1 for task in tasks if task.due_date < today)
        lines = [f"{task.claim.number}: {task.title} ({fmt_date(task.due_date)})" for task in tasks[:10]]
        url = (reverse("claims:claim-detail", args=[tasks[0].claim_id]) if len(tasks) == 1
               else reverse("claims:board"))
        notification_send(recipient=user, title=_("Tareas de siniestros: %(n)d pendientes, %(late)d vencidas") % {
            "n": len(tasks), "late": overdue}, body="\n".join(lines), url=url,
            kind="due_activity")
    return count


# --- Documents --------------------------------------------------------------------------------------

def sniff_content_type(upload) -> str | None:
    """The content type the bytes say, or None when it is not an accepted one."""
    upload.seek(0)
    head = upload.read(32)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return "image/heic"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def _clean_name(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/")).strip() or "documento"
    return name[:200]


@transaction.atomic
def claim_document_add(*, actor, claim, file, description: str = "") -> ClaimDocument:
    """Attaches `file` (an UploadedFile or File) after the size and type checks."""
    claim = locked(claim)
    size = getattr(file, "size", None)
    if size is None:
        raise ClaimError(_("Adjunte un archivo."), code="claim_document_type", field="file")
    if size > MAX_DOCUMENT_BYTES:
        raise ClaimError(_("El archivo ocupa %(size).1f MB: el máximo es 20 MB.") % {"size": size / 1024 / 1024},
                         code="claim_document_size", field="file")
    if size == 0:
        raise ClaimError(_("El archivo está vacío."), code="claim_document_type", field="file")
    content_type = sniff_content_type(file)
    if content_type is None:
        raise ClaimError(_("Tipo de archivo no admitido: solo %s.") % ACCEPTED_TYPES, code="claim_document_type",
                         field="file")
    name = _clean_name(getattr(file, "name", ""))
    document = ClaimDocument(claim=claim, name=name, content_type=content_type, size=size,
                             description=(description or "").strip()[:250], created_by=actor_or_none(actor))
    document.file.save(name, file, save=False)
    document.save()
    touch(claim, actor)
    record(actor=actor, claim=claim, verb="claim_document_add", event="document_added",
           changes={"documento": [None, name]}, document=document.pk)
    return document
