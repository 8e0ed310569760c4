"""Helpers of the analytics pages: the permission gate and the period of a request."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.analytics.dashboards import VIEW_PERMISSION
from apps.analytics.errors import AnalyticsError
from apps.analytics.periods import period_for, period_from_query

SECTION = _l("Analítica")


def analytics_view(view):
    """login_required plus analytics.view_dashboard (403 for a logged-in user without it)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied(_("Su rol no permite ver la analítica."))
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def request_period(request):
    """(period, error message): an invalid period falls back to this year with the reason."""
    try:
        return period_from_query(request.GET), ""
    except AnalyticsError as exc:
        return period_for(), exc.message
