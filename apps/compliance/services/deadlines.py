"""The daily warning to each handler of a data subject request or complaint whose deadline is near or past
(ComplianceSettings.warning_days before it); one notice per deadline (warned_for)."""
import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.compliance.choices import OPEN_REQUEST_STATES, ComplaintState
from apps.compliance.models import Complaint, ComplianceSettings, DataSubjectRequest
from apps.notifications.choices import NotificationKind
from apps.notifications.services.notifications import notification_send


def _notice(row, due: datetime.date, today: datetime.date) -> str:
    days = (due - today).days
    if days < 0:
        return _("%(number)s: plazo vencido el %(date)s") % {"number": row.number, "date": due.strftime("%d/%m/%Y")}
    return _("%(number)s: vence el %(date)s (%(days)d días)") % {"number": row.number,
                                                                "date": due.strftime("%d/%m/%Y"), "days": days}


@transaction.atomic
def compliance_deadlines_warn(*, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    limit = today + datetime.timedelta(days=ComplianceSettings.current().warning_days)
    sent = 0
    requests = DataSubjectRequest.objects.select_for_update(of=("self",)).select_related("handler").filter(
        state__in=OPEN_REQUEST_STATES, handler__isnull=False)
    for row in requests:
        due = row.due_date
        if due <= limit and row.warned_for != due:
            notification_send(recipient=row.handler, kind=NotificationKind.DUE_ACTIVITY,
                              title=_("Solicitud de derechos %s") % _notice(row, due, today),
                              url=reverse("compliance:dsr-detail", args=[row.pk]))
            DataSubjectRequest.objects.filter(pk=row.pk).update(warned_for=due)
            sent += 1
    complaints = Complaint.objects.select_for_update(of=("self",)).select_related("handler").exclude(
        state=ComplaintState.CLOSED).filter(handler__isnull=False, deadline__lte=limit)
    for row in complaints:
        if row.warned_for != row.deadline:
            notification_send(recipient=row.handler, kind=NotificationKind.DUE_ACTIVITY,
                              title=_("Queja o reclamación %s") % _notice(row, row.deadline, today),
                              url=reverse("compliance:complaint-detail", args=[row.pk]))
            Complaint.objects.filter(pk=row.pk).update(warned_for=row.deadline)
            sent += 1
    return sent
