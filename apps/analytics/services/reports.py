"""Scheduled reports: every active subscription due today (or overdue) gets its dashboard as PDF by
e-mail, built with the subscriber's own visibility (roles, own-only data), for the period it covers
(weekly: the last 7 days up to yesterday; monthly: last calendar month), then its next send date moves
on. One transaction per subscription with the row locked (skip_locked: two overlapping runs never mail
twice). Beat runs apps.analytics.tasks.analytics_reports_send per brokerage, daily."""
from __future__ import annotations

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.analytics.choices import Frequency, PeriodKind
from apps.analytics.dashboards import DASHBOARDS, user_dashboards
from apps.analytics.models import ReportSubscription
from apps.analytics.pdf import dashboard_pdf
from apps.analytics.periods import Period, period_for
from apps.analytics.services.subscriptions import next_after
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record

log = logging.getLogger(__name__)


def report_period(frequency: str, today: datetime.date) -> Period:
    if frequency == Frequency.WEEKLY:
        return period_for(PeriodKind.CUSTOM, date_from=today - datetime.timedelta(days=7),
                          date_to=today - datetime.timedelta(days=1))
    return period_for(PeriodKind.MONTH, today=today.replace(day=1) - datetime.timedelta(days=1))


def _brokerage() -> str:
    return getattr(getattr(connection, "tenant", None), "name", "") or ""


def report_send(*, actor, subscription: ReportSubscription, today: datetime.date) -> bool:
    """E-mails one subscription's PDF (False when the person has no address or lost the dashboard)."""
    from apps.analytics.selectors import dashboard_data
    from apps.notifications.services.emails import absolute_link

    user = subscription.user
    if not user.is_active or not user.email or subscription.dashboard not in {c for c, _l in user_dashboards(user)}:
        return False
    period = report_period(subscription.frequency, today)
    with translation.override(getattr(user, "language", "") or "es"):
        data = dashboard_data(user, subscription.dashboard, period)
        pdf = dashboard_pdf(data, brokerage=_brokerage())
        name = str(DASHBOARDS[subscription.dashboard])
        subject = _("[AIT-CORE] Informe %(frequency)s: %(name)s (%(period)s)") % {
            "frequency": subscription.get_frequency_display().lower(), "name": name, "period": period.label}
        body = _("Adjuntamos el cuadro de mando «%(name)s» del periodo %(period)s.\n\nPuede verlo en línea en "
                 "%(link)s o anular esta suscripción en %(manage)s.\n") % {
            "name": name, "period": period.label, "link": absolute_link("/analitica/"),
            "manage": absolute_link("/analitica/suscripciones/")}
    message = EmailMessage(subject, body, None, [user.email])
    message.attach(f"cuadro-{subscription.dashboard}-{period.date_to:%Y%m%d}.pdf", pdf, "application/pdf")
    message.send()
    audit_event_record(actor=actor, action=AuditAction.ACTION, obj=subscription, verb="report_send",
                       changes={"period": [period.date_from, period.date_to], "to": user.email})
    return True


def reports_send_due(*, actor=None, today: datetime.date | None = None) -> int:
    """Sends every due subscription; returns how many e-mails went out."""
    today = today or timezone.localdate()
    due = ReportSubscription.objects.filter(is_active=True, next_send__lte=today)
    sent = 0
    for pk in list(due.order_by("next_send", "pk").values_list("pk", flat=True)):
        with transaction.atomic():
            subscription = (due.filter(pk=pk).select_related("user").select_for_update(skip_locked=True, of=("self",))
                            .first())
            if subscription is None:
                continue
            try:
                with transaction.atomic():
                    sent += int(report_send(actor=actor, subscription=subscription, today=today))
            except Exception:
                log.exception("analytics report %s failed", pk)
                continue
            subscription.next_send = next_after(subscription.frequency, subscription.next_send, today)
            subscription.last_sent_at = timezone.now()
            subscription.save(update_fields=["next_send", "last_sent_at"])
    return sent
