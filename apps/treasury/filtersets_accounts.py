"""Filters of the mandate list and API: party (name or NIF), state and expired (36 months unused)."""
import datetime

import django_filters
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from apps.insurance.services.policy_dates import add_months
from apps.treasury.choices import MandateState
from apps.treasury.models import Mandate
from apps.treasury.services.mandates import EXPIRY_MONTHS


def expired_q(on_date: datetime.date | None = None) -> Q:
    """Mandates whose last debit (or signature, never used) is 36 months or more before `on_date`."""
    return Q(expiry_base__lte=add_months(on_date or timezone.localdate(), -EXPIRY_MONTHS))


def with_expiry_base(queryset):
    return queryset.annotate(expiry_base=Coalesce("last_used_on", "signature_date"))


class MandateFilterSet(django_filters.FilterSet):
    party = django_filters.CharFilter(label=_l("Deudor"), method="filter_party")
    state = django_filters.ChoiceFilter(label=_l("Estado"), choices=MandateState.choices)
    expired = django_filters.BooleanFilter(label=_l("Caducado"), method="filter_expired")

    class Meta:
        model = Mandate
        fields = ["party", "state", "expired"]

    def filter_party(self, queryset, name, value):
        value = (value or "").strip()
        if value.isdigit():
            return queryset.filter(party_id=int(value))
        return queryset.filter(Q(party__display_name__icontains=value) | Q(party__tax_id__iexact=value))

    def filter_expired(self, queryset, name, value):
        if value is None:
            return queryset
        queryset = with_expiry_base(queryset)
        return queryset.filter(expired_q()) if value else queryset.exclude(expired_q())

    @staticmethod
    def search(queryset, query: str):
        query = (query or "").strip()
        if not query:
            return queryset
        return queryset.filter(Q(reference__icontains=query) | Q(party__display_name__icontains=query)
                               | Q(iban__icontains=query.replace(" ", "")))
