from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.audit.models import AuditEvent


def activity_widget(request) -> dict:
    today = timezone.localdate()
    start = today - timedelta(days=13)
    counts = dict(
        AuditEvent.objects.filter(timestamp__date__gte=start)
        .annotate(day=TruncDate("timestamp")).values_list("day").annotate(n=Count("id")).values_list("day", "n")
    )
    days = [start + timedelta(days=i) for i in range(14)]
    return {
        "chart": {"labels": [d.strftime("%d/%m") for d in days], "values": [counts.get(d, 0) for d in days]},
        "total": sum(counts.values()),
    }
