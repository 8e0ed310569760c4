import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from apps.audit.choices import AuditAction
from apps.audit.models import AuditEvent


def _audited_types(request):
    return ContentType.objects.filter(pk__in=AuditEvent.objects.values("content_type")).order_by("app_label", "model")


class AuditEventFilterSet(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(label=_("acción"), choices=AuditAction.choices)
    content_type = django_filters.ModelChoiceFilter(label=_("tipo"), queryset=_audited_types)

    class Meta:
        model = AuditEvent
        fields = ["action", "content_type"]
