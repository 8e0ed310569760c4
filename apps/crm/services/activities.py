"""Activities (calls, meetings, e-mails, tasks) on a party, a lead or an opportunity, and their
overdue reminders."""
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.core.services.records import record_create, record_update
from apps.crm.models import Activity
from apps.notifications.choices import NotificationKind
from apps.notifications.services.notifications import notification_send, notify_assignment

ACTIVITY_FIELDS = ("kind", "subject", "notes", "due_at", "owner", "party", "lead", "opportunity")
TARGETS = ("party", "lead", "opportunity")


def _clean(data: dict, *, current: Activity | None = None) -> dict:
    data = {key: value for key, value in data.items() if key in ACTIVITY_FIELDS}
    errors = {}
    if "subject" in data:
        data["subject"] = (data["subject"] or "").strip()
        if not data["subject"]:
            errors["subject"] = [_("Indique el asunto de la actividad.")]
    due_at = data["due_at"] if "due_at" in data else getattr(current, "due_at", None)
    if not due_at:
        errors["due_at"] = [_("Indique la fecha y hora de la actividad.")]
    elif isinstance(due_at, datetime) and timezone.is_naive(due_at):
        data["due_at"] = timezone.make_aware(due_at)
    targets = {name: data[name] if name in data else getattr(current, name, None) for name in TARGETS}
    if not any(targets.values()):
        errors["__all__"] = [_("Una actividad debe referirse a un cliente, a un contacto comercial o a una oportunidad.")]
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def activity_create(*, actor, data: dict, done: bool = False) -> Activity:
    data = _clean(data)
    if not data.get("owner") and getattr(actor, "pk", None):
        data["owner"] = actor
    if data.get("opportunity") and not data.get("party"):
        data["party"] = data["opportunity"].party  # shows on the client's 360° page too
    if done:
        data["done_at"] = timezone.now()
    activity = record_create(actor=actor, model=Activity, data=data)
    if not done:
        _notify_owner(actor, activity)
    return activity


def _notify_owner(actor, activity: Activity) -> None:
    notify_assignment(actor=actor, assignee=activity.owner,
                      title=_("Se le ha asignado una actividad: %(subject)s") % {"subject": activity.subject},
                      body=_target_label(activity), url=reverse("crm:activity-update", args=[activity.pk]))


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: dict, expected_version: int | None = None) -> Activity:
    data = _clean(data, current=activity)
    if "due_at" in data and data["due_at"] != activity.due_at:
        data["reminder_sent_at"] = None  # rescheduled: remind again if it falls overdue again
    new_owner = getattr(data.get("owner"), "pk", data.get("owner"))
    reassigned = new_owner is not None and new_owner != activity.owner_id
    activity = record_update(actor=actor, instance=activity, data=data, expected_version=expected_version)
    if reassigned and not activity.done_at:
        _notify_owner(actor, activity)
    return activity


@transaction.atomic
def activity_complete(*, actor, activity: Activity) -> Activity:
    """Marks the activity done (completing it twice changes nothing)."""
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    if current.done_at:
        return current
    return record_update(actor=actor, instance=current, data={"done_at": timezone.now()})


@transaction.atomic
def activity_reopen(*, actor, activity: Activity) -> Activity:
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    if not current.done_at:
        return current
    return record_update(actor=actor, instance=current, data={"done_at": None})


# --- Overdue reminders ----------------------------------------------------------------------

def activity_reminders_due(*, now: datetime):
    """Open activities past their due time whose owner has not been reminded yet."""
    return (
        Activity.objects.filter(done_at__isnull=True, due_at__lt=now, reminder_sent_at__isnull=True)
        .select_related("owner", "party", "lead", "opportunity")
        .order_by("due_at", "pk")
    )


def _target_label(activity: Activity) -> str:
    if activity.opportunity_id:
        return _("Oportunidad: %(name)s") % {"name": activity.opportunity}
    if activity.lead_id:
        return _("Contacto comercial: %(name)s") % {"name": activity.lead}
    return _("Cliente: %(name)s") % {"name": activity.party}


@transaction.atomic
def activity_reminders_send(*, now: datetime | None = None) -> int:
    """One notification per overdue activity to its owner; each activity is reminded once."""
    now = now or timezone.now()
    url = reverse("crm:my-day")
    sent = 0
    # skip_locked: two overlapping beat runs never remind the same activity twice.
    for activity in activity_reminders_due(now=now).select_for_update(skip_locked=True, of=("self",)):
        due = formats.date_format(timezone.localtime(activity.due_at), "SHORT_DATETIME_FORMAT")
        notification_send(
            recipient=activity.owner,
            title=(_("Actividad vencida: %(subject)s") % {"subject": activity.subject})[:200],
            body=_("%(kind)s · vencía el %(due)s · %(target)s")
            % {"kind": activity.get_kind_display(), "due": due, "target": _target_label(activity)},
            url=url, kind=NotificationKind.DUE_ACTIVITY,
        )
        Activity.objects.filter(pk=activity.pk).update(reminder_sent_at=now)
        sent += 1
    return sent
