"""The two daily jobs of documents (beat, per brokerage: apps.documents.tasks).

Expiry: a document with an expiry date (an ID card…) is announced once, from its category's
`expiry_reminder_days` before that date (30 without category), to its uploader and to the record's owner (the
record's gestor, tramitador or responsable), each only if they may still view the record. A new expiry date
(a renewed ID uploaded as a new version) is announced again.

Retention: a document whose category keeps files `retention_years` is deleted for good (rows and files) that
many years after its last version, deleted or not, unless it is under legal hold."""
import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_events_record
from apps.core.events import publish
from apps.documents.access import may_view_record
from apps.documents.models import Document, DocumentCategory
from apps.documents.models.categories import DEFAULT_REMINDER_DAYS
from apps.notifications.choices import NotificationKind
from apps.notifications.services.notifications import notification_send

OWNER_FIELDS = ("account_manager", "handler", "owner")
MAX_REMINDER_DAYS = 365


def _record_owner(document: Document):
    model = document.content_type.model_class()
    if model is None:
        return None
    names = [name for name in OWNER_FIELDS if any(f.name == name for f in model._meta.get_fields())]
    if not names:
        return None
    record = model._default_manager.select_related(names[0]).filter(pk=document.object_id).first()
    return getattr(record, names[0], None) if record is not None else None


def _remind(document: Document, today: datetime.date) -> int:
    days = (document.expires_on - today).days
    when = formats.date_format(document.expires_on, "SHORT_DATE_FORMAT")
    title = (_("«%(title)s» caduca el %(date)s") if days >= 0 else _("«%(title)s» caducó el %(date)s")) % {
        "title": document.title, "date": when}
    url = reverse("documents:document-detail", args=[document.pk])
    sent, seen = 0, set()
    for person in (document.created_by, _record_owner(document)):
        if person is None or person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        if may_view_record(person, document.record_key):
            notification_send(recipient=person, title=title[:200], url=url, kind=NotificationKind.DUE_ACTIVITY,
                              body=_("Suba la nueva versión del documento antes de que caduque."))
            sent += 1
    return sent


def documents_expiry_remind(*, today: datetime.date | None = None) -> int:
    """Announces each document whose reminder date has come and whose expiry date was not announced yet;
    returns how many notices were sent. Safe to run twice at once: a document is claimed before its notices."""
    today = today or timezone.localdate()
    candidates = (Document.objects.filter(expires_on__isnull=False,
                                          expires_on__lte=today + datetime.timedelta(days=MAX_REMINDER_DAYS))
                  .select_related("category", "content_type", "created_by").order_by("expires_on", "pk"))
    sent = 0
    for document in candidates:
        if document.reminded_for == document.expires_on:
            continue
        days = document.category.expiry_reminder_days if document.category else DEFAULT_REMINDER_DAYS
        if document.expires_on - datetime.timedelta(days=days) > today:
            continue
        with transaction.atomic():
            claimed = (Document.objects.filter(pk=document.pk, expires_on=document.expires_on)
                       .exclude(reminded_for=document.expires_on).update(reminded_for=document.expires_on))
            if claimed:
                sent += _remind(document, today)
    return sent


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@transaction.atomic
def documents_retention_purge(*, today: datetime.date | None = None) -> int:
    """Deletes the documents whose retention ran out (see the module doc); returns how many."""
    today = today or timezone.localdate()
    expired = []
    for category in DocumentCategory.objects.filter(retention_years__isnull=False):
        cutoff = timezone.make_aware(datetime.datetime.combine(_years_before(today, category.retention_years),
                                                               datetime.time.min))
        expired += list(Document.all_objects.select_for_update(skip_locked=True, of=("self",))
                        .filter(category=category, legal_hold=False)
                        .exclude(versions__created_at__gte=cutoff).filter(created_at__lt=cutoff)
                        .select_related("content_type").prefetch_related("versions"))
    if not expired:
        return 0
    names = [version.file.name for document in expired for version in document.versions.all()]
    audit_events_record(actor=None, action=AuditAction.DELETE, verb="documents_retention_purge", items=[
        (document, {"registro": [document.record_key, None], "title": [document.title, None],
                    "versiones": [len(document.versions.all()), None]}) for document in expired])
    for document in expired:
        publish("documents.document.purged", pk=document.pk, key=document.record_key)
    Document.all_objects.filter(pk__in=[document.pk for document in expired]).update(current_version=None)
    Document.all_objects.filter(pk__in=[document.pk for document in expired]).delete()

    def remove_files():
        from django.core.files.storage import default_storage

        for name in names:
            default_storage.delete(name)

    transaction.on_commit(remove_files)
    return len(expired)
