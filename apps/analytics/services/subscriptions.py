"""Subscribing to a dashboard by e-mail (weekly or monthly PDF). A person subscribes themselves to one
of their own dashboards; managing others' subscriptions needs analytics.change_reportsubscription
(the admin). The first e-mail goes on the next Monday (weekly) or the 1st of next month (monthly)."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.analytics.choices import Frequency
from apps.analytics.dashboards import user_dashboards
from apps.analytics.errors import AnalyticsError
from apps.analytics.models import ReportSubscription
from apps.analytics.periods import add_months
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record


def first_send(frequency: str, today: datetime.date) -> datetime.date:
    if frequency == Frequency.WEEKLY:
        return today + datetime.timedelta(days=7 - today.weekday())
    return add_months(today.replace(day=1), 1)


def next_after(frequency: str, day: datetime.date, today: datetime.date) -> datetime.date:
    """The next send date after `day`, skipping any missed ones up to `today`."""
    while day <= today:
        day = day + datetime.timedelta(days=7) if frequency == Frequency.WEEKLY else add_months(day, 1)
    return day


def _may_manage(actor, user) -> bool:
    return actor is None or actor.pk == user.pk or actor.has_perm("analytics.change_reportsubscription")


@transaction.atomic
def subscription_create(*, actor, user, dashboard: str, frequency: str,
                        today: datetime.date | None = None) -> ReportSubscription:
    if not _may_manage(actor, user):
        raise AnalyticsError(_("No puede suscribir a otra persona."), code="analytics_forbidden", status=403)
    if frequency not in Frequency.values:
        raise AnalyticsError(_("Frecuencia no válida."), code="analytics_frequency", field="frequency")
    if dashboard not in {code for code, _label in user_dashboards(user)}:
        raise AnalyticsError(_("Ese cuadro de mando no corresponde a los roles de la persona."),
                             code="analytics_dashboard", field="dashboard")
    if ReportSubscription.objects.filter(user=user, dashboard=dashboard, frequency=frequency).exists():
        raise AnalyticsError(_("Ya está suscrito a este informe con esa frecuencia."), code="analytics_duplicate",
                             field="frequency")
    subscription = ReportSubscription.objects.create(
        user=user, dashboard=dashboard, frequency=frequency,
        next_send=first_send(frequency, today or timezone.localdate()))
    audit_event_record(actor=actor, action=AuditAction.CREATE, obj=subscription, changes={
        "user": user.pk, "dashboard": dashboard, "frequency": frequency, "next_send": subscription.next_send})
    return subscription


@transaction.atomic
def subscription_delete(*, actor, subscription: ReportSubscription) -> None:
    if not _may_manage(actor, subscription.user):
        raise AnalyticsError(_("No puede anular la suscripción de otra persona."), code="analytics_forbidden",
                             status=403)
    audit_event_record(actor=actor, action=AuditAction.DELETE, obj=subscription, changes={
        "user": subscription.user_id, "dashboard": subscription.dashboard, "frequency": subscription.frequency})
    subscription.delete()
