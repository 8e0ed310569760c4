"""Reads of the compliance pages: filtered lists, overdue cases and the yearly report of the customer service
(art. 17 Orden ECO/734/2004), each in a fixed number of queries."""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.compliance.choices import (
    OPEN_REQUEST_STATES, ComplaintKind, ComplaintOutcome, ComplaintReason, ComplaintState, NotAdmittedReason,
)
from apps.compliance.models import Complaint, DataSubjectRequest


def requests_filtered(*, state: str = "", kind: str = "", overdue: bool = False, text: str = "",
                      today: datetime.date | None = None):
    today = today or timezone.localdate()
    queryset = DataSubjectRequest.objects.select_related("party", "handler")
    if state:
        queryset = queryset.filter(state=state)
    if kind:
        queryset = queryset.filter(kind=kind)
    if text:
        queryset = queryset.filter(Q(number__icontains=text) | Q(party__display_name__icontains=text))
    if overdue:
        queryset = queryset.filter(state__in=OPEN_REQUEST_STATES).filter(
            Q(extended_deadline__lt=today) | Q(extended_deadline__isnull=True, deadline__lt=today))
    return queryset.order_by("-received_on", "-pk")


def complaints_filtered(*, state: str = "", kind: str = "", overdue: bool = False, text: str = "",
                        year: int | None = None, today: datetime.date | None = None):
    today = today or timezone.localdate()
    queryset = Complaint.objects.select_related("party", "handler", "policy", "claim")
    if state:
        queryset = queryset.filter(state=state)
    if kind:
        queryset = queryset.filter(kind=kind)
    if year:
        queryset = queryset.filter(received_on__year=year)
    if text:
        queryset = queryset.filter(Q(number__icontains=text) | Q(party__display_name__icontains=text))
    if overdue:
        queryset = complaints_overdue(today=today, queryset=queryset)
    return queryset.order_by("-received_on", "-pk")


def complaints_overdue(*, today: datetime.date | None = None, queryset=None):
    """Open past their deadline."""
    today = today or timezone.localdate()
    queryset = Complaint.objects.select_related("party", "handler") if queryset is None else queryset
    return queryset.exclude(state=ComplaintState.CLOSED).filter(deadline__lt=today)


@dataclass
class YearlyReport:
    year: int
    total: int = 0
    by_kind: list = field(default_factory=list)          # (label, count)
    admitted: int = 0
    not_admitted: int = 0
    not_admitted_reasons: list = field(default_factory=list)  # (label, count)
    by_outcome: list = field(default_factory=list)       # (label, count, claimed, granted)
    by_reason: list = field(default_factory=list)        # (label, total, upheld, claimed, granted)
    pending: int = 0
    resolved: int = 0
    resolved_in_time: int = 0
    resolved_late: int = 0
    average_days: Decimal | None = None
    amount_claimed: Decimal = Decimal("0.00")
    amount_granted: Decimal = Decimal("0.00")
    criteria: list = field(default_factory=list)         # (criterion, count)
    consumers: int = 0

    @property
    def favourable(self) -> int:
        return sum(count for code, _label, count, *_rest in self.by_outcome
                   if code in (ComplaintOutcome.UPHELD, ComplaintOutcome.PARTIALLY_UPHELD))


def complaints_yearly_report(year: int) -> YearlyReport:
    """Art. 17 Orden ECO/734/2004: complaints received in `year` — number, admitted or not and why, reasons, the
    decisions (favourable or not), amounts, average resolution time and the criteria applied. 5 queries."""
    rows = Complaint.objects.filter(received_on__year=year)
    report = YearlyReport(year=year)
    zero = Decimal("0.00")
    totals = rows.aggregate(
        total=Count("pk"), consumers=Count("pk", filter=Q(is_consumer=True)),
        not_admitted=Count("pk", filter=Q(outcome=ComplaintOutcome.NOT_ADMITTED)),
        pending=Count("pk", filter=~Q(state=ComplaintState.CLOSED)),
        resolved=Count("pk", filter=Q(state=ComplaintState.CLOSED)),
        in_time=Count("pk", filter=Q(state=ComplaintState.CLOSED, resolved_on__lte=F("deadline"))),
        claimed=Sum("amount_claimed"), granted=Sum("amount_granted"),
        kinds_queja=Count("pk", filter=Q(kind=ComplaintKind.QUEJA)),
        kinds_reclamacion=Count("pk", filter=Q(kind=ComplaintKind.RECLAMACION)),
        average=Avg(ExpressionWrapper(F("resolved_on") - F("received_on"), output_field=DurationField()),
                    filter=Q(state=ComplaintState.CLOSED)))
    report.total, report.consumers = totals["total"], totals["consumers"]
    report.not_admitted = totals["not_admitted"]
    report.admitted = report.total - report.not_admitted
    report.pending, report.resolved = totals["pending"], totals["resolved"]
    report.resolved_in_time = totals["in_time"]
    report.resolved_late = report.resolved - report.resolved_in_time
    report.amount_claimed, report.amount_granted = totals["claimed"] or zero, totals["granted"] or zero
    report.by_kind = [(ComplaintKind.QUEJA.label, totals["kinds_queja"]),
                      (ComplaintKind.RECLAMACION.label, totals["kinds_reclamacion"])]
    average = totals["average"]
    if average is not None:
        days = average.days + average.seconds / 86400 if hasattr(average, "days") else float(average)
        report.average_days = Decimal(str(days)).quantize(Decimal("0.1"))

    not_admitted = dict(rows.filter(outcome=ComplaintOutcome.NOT_ADMITTED).values_list("not_admitted_reason")
                        .annotate(n=Count("pk")).values_list("not_admitted_reason", "n"))
    report.not_admitted_reasons = [(choice.label, not_admitted[choice.value]) for choice in NotAdmittedReason
                                   if not_admitted.get(choice.value)]
    outcomes = {row["outcome"]: row for row in rows.filter(state=ComplaintState.CLOSED).values("outcome").annotate(
        n=Count("pk"), claimed=Sum("amount_claimed"), granted=Sum("amount_granted"))}
    report.by_outcome = [(choice.value, choice.label, outcomes[choice.value]["n"],
                          outcomes[choice.value]["claimed"] or zero, outcomes[choice.value]["granted"] or zero)
                         for choice in ComplaintOutcome if choice.value in outcomes]
    reasons = {row["reason"]: row for row in rows.values("reason").annotate(
        n=Count("pk"), upheld=Count("pk", filter=Q(outcome__in=[ComplaintOutcome.UPHELD,
                                                                 ComplaintOutcome.PARTIALLY_UPHELD])),
        claimed=Sum("amount_claimed"), granted=Sum("amount_granted"))}
    report.by_reason = [(choice.label, reasons[choice.value]["n"], reasons[choice.value]["upheld"],
                         reasons[choice.value]["claimed"] or zero, reasons[choice.value]["granted"] or zero)
                        for choice in ComplaintReason if choice.value in reasons]
    report.criteria = list(rows.exclude(criteria="").values_list("criteria").annotate(n=Count("pk"))
                           .order_by("-n", "criteria").values_list("criteria", "n"))
    return report


def report_csv_rows(report: YearlyReport) -> list[list]:
    """The yearly report as rows «sección; concepto; valor; importe reclamado; importe reconocido»."""
    rows = [[_("Resumen"), _("Quejas y reclamaciones recibidas"), report.total, report.amount_claimed, report.amount_granted]]
    rows += [[_("Tipo"), label, count, "", ""] for label, count in report.by_kind]
    rows += [[_("Admisión"), _("Admitidas a trámite"), report.admitted, "", ""],
             [_("Admisión"), _("No admitidas a trámite"), report.not_admitted, "", ""]]
    rows += [[_("Causa de inadmisión"), label, count, "", ""] for label, count in report.not_admitted_reasons]
    rows += [[_("Resolución"), label, count, claimed, granted] for _code, label, count, claimed, granted in report.by_outcome]
    rows += [[_("Motivo"), label, count, claimed, granted] for label, count, _up, claimed, granted in report.by_reason]
    rows += [[_("Plazos"), _("Resueltas en plazo"), report.resolved_in_time, "", ""],
             [_("Plazos"), _("Resueltas fuera de plazo"), report.resolved_late, "", ""],
             [_("Plazos"), _("Pendientes"), report.pending, "", ""],
             [_("Plazos"), _("Tiempo medio de resolución (días)"), report.average_days if report.average_days is not None
              else "", "", ""]]
    rows += [[_("Criterio"), criterion, count, "", ""] for criterion, count in report.criteria]
    return rows
