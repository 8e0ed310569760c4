import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from apps.audit.choices import AuditAction
from apps.audit.models import AuditEvent


def _audited_types(request):
    return ContentType.objects.filter(pk__in=AuditEvent.objects.values("content_type")).order_by("app_label", "model")


def _users(request):
    return get_user_model().objects.order_by("email")


class AuditEventFilterSet(django_filters.FilterSet):
    """The audit viewer's filters: user, record (type + id), action, date range (free text is ?q=)."""

    actor = django_filters.ModelChoiceFilter(label=_("usuario"), queryset=_users, method="filter_actor")
    action = django_filters.ChoiceFilter(label=_("acción"), choices=AuditAction.choices)
    content_type = django_filters.ModelChoiceFilter(label=_("tipo"), queryset=_audited_types)
    object_id = django_filters.CharFilter(label=_("id del registro"), field_name="object_id", lookup_expr="exact")
    date_from = django_filters.DateFilter(label=_("desde"), field_name="timestamp", lookup_expr="date__gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=_("hasta"), field_name="timestamp", lookup_expr="date__lte",
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "content_type", "object_id", "date_from", "date_to"]

    def filter_actor(self, queryset, name, value):
        return queryset.filter(actor_id=value.pk) if value else queryset
