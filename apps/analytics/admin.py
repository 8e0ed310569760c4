"""Admin of the scheduled reports: list and filter; adding and removing go through the services
(audited, the dashboard checked against the person's roles)."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.analytics.dashboards import DASHBOARDS
from apps.analytics.errors import AnalyticsError
from apps.analytics.models import ReportSubscription
from apps.analytics.services import reports_send_due, subscription_create, subscription_delete


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "user_email", "dashboard_name", "frequency", "next_send", "last_sent_at", "is_active"]
    list_filter = ["dashboard", "frequency", "is_active"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["last_sent_at", "created_at"]
    actions = ["unsubscribe", "send_due_now"]

    @admin.display(description=_("e-mail"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    @admin.display(description=_("cuadro de mando"), ordering="dashboard")
    def dashboard_name(self, obj):
        return DASHBOARDS.get(obj.dashboard, obj.dashboard)

    def get_list_select_related(self, request):
        return ["user"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "user", "dashboard", "frequency"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            created = subscription_create(actor=request.user, user=obj.user, dashboard=obj.dashboard,
                                          frequency=obj.frequency)
        except AnalyticsError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk, obj.next_send = created.pk, created.next_send

    def delete_model(self, request, obj):
        subscription_delete(actor=request.user, subscription=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            subscription_delete(actor=request.user, subscription=obj)

    @admin.action(description=_("Anular las suscripciones seleccionadas"), permissions=["delete"])
    def unsubscribe(self, request, queryset):
        count = 0
        for obj in queryset:
            subscription_delete(actor=request.user, subscription=obj)
            count += 1
        self.message_user(request, _("%d suscripciones anuladas.") % count)

    @admin.action(description=_("Enviar ahora los informes pendientes"), permissions=["change"])
    def send_due_now(self, request, queryset):
        self.message_user(request, _("%d informes enviados.") % reports_send_due(actor=request.user))
