"""Filters of the employee list and API: department, work centre, active; plus the free search."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _l

from apps.hr.models import Department, Employee, WorkCentre


class EmployeeFilterSet(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(label=_l("Departamento"), queryset=Department.objects.all())
    work_centre = django_filters.ModelChoiceFilter(label=_l("Centro de trabajo"), queryset=WorkCentre.objects.all())
    is_active = django_filters.BooleanFilter(label=_l("En plantilla"))

    class Meta:
        model = Employee
        fields = ["department", "work_centre", "is_active"]

    @staticmethod
    def search(queryset, query: str):
        query = (query or "").strip()
        if not query:
            return queryset
        condition = Q(code__icontains=query) | Q(tax_id__iexact=query.replace(" ", "").upper()) | Q(
            position__icontains=query) | Q(email__icontains=query)
        words = Q()
        for word in query.split():
            words &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        return queryset.filter(condition | words)
