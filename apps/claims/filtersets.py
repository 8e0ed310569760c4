"""Filters of the claims list (page and API alike): state, insurer, line, handler, loss date range,
cause, and the search box (claim number or policy number prefix, policyholder name or tax id).
State, insurer and handler map onto Claim's indexes; the default order reads claims_claim_recent_idx."""
import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.claims.choices import ClaimCause, ClaimState
from apps.claims.models import Claim
from apps.insurance.models import Insurer, Line

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d")


@extend_schema_field(OpenApiTypes.STR)
class PlainChoiceFilter(django_filters.ChoiceFilter):
    """A plain string in the API schema (enums named «state»/«cause» would collide with other apps')."""


class ClaimFilterSet(django_filters.FilterSet):
    state = PlainChoiceFilter(label=_l("Estado"), choices=ClaimState.choices)
    insurer = django_filters.ModelChoiceFilter(label=_l("Compañía"), queryset=Insurer.objects.all())
    line = django_filters.ModelChoiceFilter(label=_l("Ramo"), queryset=Line.objects.all(), to_field_name="code")
    handler = django_filters.ModelChoiceFilter(label=_l("Tramitador"), queryset=get_user_model().objects.all())
    cause = PlainChoiceFilter(label=_l("Causa"), choices=ClaimCause.choices)
    loss_from = django_filters.DateFilter(label=_l("Ocurrido desde"), field_name="loss_date", lookup_expr="gte",
                                          widget=DATE_WIDGET)
    loss_to = django_filters.DateFilter(label=_l("Ocurrido hasta"), field_name="loss_date", lookup_expr="lte",
                                        widget=DATE_WIDGET)
    policy = django_filters.NumberFilter(label=_l("Póliza (id)"), field_name="policy_id",
                                         widget=forms.HiddenInput())
    policyholder = django_filters.NumberFilter(label=_l("Tomador (id)"), field_name="policyholder_id",
                                               widget=forms.HiddenInput())

    class Meta:
        model = Claim
        fields = ["state", "insurer", "line", "handler", "cause", "loss_from", "loss_to", "policy", "policyholder"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["insurer"].queryset = Insurer.objects.order_by("name")
        self.filters["line"].queryset = Line.objects.order_by("name")
        self.filters["handler"].queryset = get_user_model().objects.filter(is_active=True).order_by(
            "first_name", "last_name", "email")

    @staticmethod
    def search(queryset, query: str):
        """The search box: claim number or policy number prefix, policyholder name or tax id."""
        query = (query or "").strip()
        if not query:
            return queryset
        return queryset.filter(Q(number__istartswith=query) | Q(policy__number__istartswith=query)
                               | Q(policyholder__display_name__icontains=query)
                               | Q(policyholder__tax_id__iexact=query) | Q(insurer_claim_number__iexact=query))
