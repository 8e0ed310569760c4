"""The daily jobs (issue 11 item 1): an expiry date is announced once, N days before (the category's
`expiry_reminder_days`), to the uploader and the record's owner; retention deletes, for good and with their
files, only the documents whose category's retention ran out and that are not under legal hold."""
import datetime

from django.conf import settings
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.documents.models import Document, DocumentCategory, DocumentVersion
from apps.documents.services.documents import document_delete
from apps.documents.services.lifecycle import documents_expiry_remind, documents_retention_purge
from apps.documents.tasks import documents_expiry_remind as remind_task
from apps.notifications.models import Notification
from tests.documents.conftest import PDF, PNG, stored_files, upload

TODAY = datetime.date(2026, 3, 2)


def notices(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def test_an_expiry_is_announced_once_to_the_uploader_and_the_owner(media, client_party, users_a):
    dni = DocumentCategory.objects.create(code="dni-nie", name="DNI/NIE", expiry_reminder_days=60)
    document = upload(users_a["admin"], client_party, title="DNI de Marta", category=dni,
                      expires_on=datetime.date(2026, 4, 30))  # 59 days after TODAY
    later = upload(users_a["admin"], client_party, title="Pasaporte", category=dni,
                   expires_on=datetime.date(2026, 5, 2))  # 61 days: not yet
    upload(users_a["admin"], client_party, title="Sin caducidad")

    assert documents_expiry_remind(today=TODAY) == 2  # the uploader (admin) and the client's gestor
    expected = ["«DNI de Marta» caduca el 30/04/2026"]
    assert notices(users_a["admin"]) == expected and notices(users_a["comercial"]) == expected
    notice = Notification.objects.get(recipient=users_a["comercial"])
    assert notice.kind == "due_activity" and notice.url == f"/documentos/{document.pk}/"
    assert documents_expiry_remind(today=TODAY) == 0  # once
    assert documents_expiry_remind(today=TODAY + datetime.timedelta(days=5)) == 2  # now the passport's turn
    assert notices(users_a["comercial"]) == expected + ["«Pasaporte» caduca el 02/05/2026"]
    assert Document.objects.get(pk=later.pk).reminded_for == datetime.date(2026, 5, 2)

    upload(users_a["admin"], client_party, PNG, name="dni-nuevo.png", document=document,
           expires_on=datetime.date(2036, 4, 30))  # renewed: its new date will be announced in its time
    assert documents_expiry_remind(today=TODAY + datetime.timedelta(days=6)) == 0
    assert documents_expiry_remind(today=datetime.date(2036, 3, 15)) == 2


def test_the_reminder_skips_people_who_no_longer_see_the_record(media, client_party, users_a):
    document = upload(users_a["comercial"], client_party, title="DNI", expires_on=TODAY)
    client_party.account_manager = None
    client_party.save(update_fields=["account_manager"])  # the comercial no longer manages the client
    assert documents_expiry_remind(today=TODAY) == 0
    assert Document.objects.get(pk=document.pk).reminded_for == TODAY


def test_the_beat_schedule_runs_both_jobs_for_every_brokerage():
    tasks = {entry["args"][0] for entry in settings.CELERY_BEAT_SCHEDULE.values()
             if entry["task"] == "apps.tenancy.tasks.fan_out"}
    assert {"apps.documents.tasks.documents_expiry_remind", "apps.documents.tasks.documents_retention_purge"} <= tasks


def test_the_task_sends_in_the_current_brokerage(media, client_party, users_a):
    upload(users_a["comercial"], client_party, title="DNI", expires_on=timezone.localdate())
    assert remind_task.apply().get() == {"schema": "alfa", "notices": 1}


def _age(document, years: int):
    """Backdates a document and its versions `years` years and a day."""
    when = timezone.now() - datetime.timedelta(days=365 * years + 2)
    Document.all_objects.filter(pk=document.pk).update(created_at=when)
    DocumentVersion.objects.filter(document=document).update(created_at=when)


def test_retention_deletes_only_expired_documents_not_on_hold(media, client_party, users_a,
                                                              django_capture_on_commit_callbacks):
    short = DocumentCategory.objects.create(code="recibo", name="Recibo", retention_years=2)
    forever = DocumentCategory.objects.create(code="contrato", name="Contrato", retention_years=None)
    comercial = users_a["comercial"]
    expired = upload(comercial, client_party, title="Recibo 2022", category=short)
    upload(comercial, client_party, PNG, name="recibo-2022.png", document=expired)  # two versions, both old
    deleted = upload(comercial, client_party, title="Recibo borrado", category=short)
    document_delete(actor=comercial, document=deleted)
    held = upload(comercial, client_party, title="Recibo en litigio", category=short)
    Document.objects.filter(pk=held.pk).update(legal_hold=True)
    recent = upload(comercial, client_party, title="Recibo reciente", category=short)
    renewed = upload(comercial, client_party, title="Recibo renovado", category=short)
    kept = upload(comercial, client_party, title="Contrato", category=forever)
    for document in (expired, deleted, held, kept, renewed):
        _age(document, 3)
    _age(recent, 1)
    upload(comercial, client_party, PDF, name="renovado.pdf", document=renewed)  # a fresh version: kept
    files_before = stored_files(media)
    assert len(files_before) == 8

    with django_capture_on_commit_callbacks(execute=True):
        assert documents_retention_purge() == 2
    assert sorted(Document.all_objects.values_list("title", flat=True)) == [
        "Contrato", "Recibo en litigio", "Recibo reciente", "Recibo renovado"]
    assert not DocumentVersion.objects.filter(document_id__in=[expired.pk, deleted.pk]).exists()
    assert len(stored_files(media)) == 5  # the three files of the purged documents are gone from storage
    assert all(path.exists() for path in stored_files(media))
    purged = AuditEvent.objects.filter(verb="documents_retention_purge").values_list("object_id", flat=True)
    assert sorted(purged) == sorted([str(expired.pk), str(deleted.pk)])
    assert documents_retention_purge() == 0
