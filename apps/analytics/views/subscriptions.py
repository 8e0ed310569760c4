"""/analitica/suscripciones/: my scheduled reports (dashboard PDF by e-mail, weekly or monthly):
subscribe and unsubscribe. Thin: apps.analytics.services.subscriptions."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from aitcore.registry import MenuEntry
from apps.analytics.dashboards import DASHBOARDS, VIEW_PERMISSION, user_dashboards
from apps.analytics.errors import AnalyticsError
from apps.analytics.forms import SubscriptionForm
from apps.analytics.models import ReportSubscription
from apps.analytics.services import subscription_create, subscription_delete
from apps.analytics.views._common import SECTION, analytics_view

TITLE = _l("Informes programados")


@analytics_view
def subscriptions_view(request):
    dashboards = user_dashboards(request.user)
    form = SubscriptionForm(request.POST or None, dashboards=dashboards)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                subscription_create(actor=request.user, user=request.user, dashboard=form.cleaned_data["dashboard"],
                                    frequency=form.cleaned_data["frequency"])
            except AnalyticsError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Suscripción creada."))
                return redirect("analytics:subscriptions")
        status = 400
    subscriptions = list(ReportSubscription.objects.filter(user=request.user).order_by("dashboard", "frequency"))
    for subscription in subscriptions:
        subscription.dashboard_name = DASHBOARDS.get(subscription.dashboard, subscription.dashboard)
    return render(request, "analytics/subscriptions.html", {"title": TITLE, "form": form,
                                                             "subscriptions": subscriptions}, status=status)


@require_POST
@analytics_view
def subscription_delete_view(request, pk: int):
    subscription = get_object_or_404(ReportSubscription, pk=pk, user=request.user)
    subscription_delete(actor=request.user, subscription=subscription)
    messages.success(request, _("Suscripción anulada."))
    return redirect("analytics:subscriptions")


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="analytics:subscriptions", icon="bi-envelope-paper",
                  permission=VIEW_PERMISSION, order=31)]

urlpatterns = [
    path("suscripciones/", subscriptions_view, name="subscriptions"),
    path("suscripciones/<int:pk>/anular/", subscription_delete_view, name="subscription-delete"),
]
