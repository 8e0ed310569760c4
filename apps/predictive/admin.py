"""Admin: model versions and scores are read here; a new version comes from the services (action below or
the ML engines), never from editing a row."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.errors import DomainError
from apps.predictive.models import ModelVersion, Score


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ModelVersion)
class ModelVersionAdmin(_ReadOnly):
    list_display = ["kind", "version", "trained_at", "trained_by", "algorithm", "training_rows", "is_active"]
    list_filter = ["kind", "is_active"]
    readonly_fields = ["kind", "version", "trained_at", "trained_by", "algorithm", "training_rows", "metrics",
                       "features", "params", "is_active"]
    exclude = ["fitted_model"]
    actions = ["retrain"]

    @admin.action(description=_l("Reentrenar y puntuar (nueva versión del mismo tipo)"),
                  permissions=["retrain"])
    def retrain(self, request, queryset):
        from apps.predictive.services.anomalies import anomalies_detect
        from apps.predictive.services.churn import churn_score, churn_train
        from apps.predictive.services.fraud import fraud_score

        for kind in sorted(set(queryset.values_list("kind", flat=True))):
            try:
                if kind == "churn":
                    churn_score(actor=request.user, version=churn_train(actor=request.user))
                elif kind == "anomaly":
                    anomalies_detect(actor=request.user)
                else:
                    fraud_score(actor=request.user)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, _("Nueva versión de «%(kind)s» entrenada.") % {"kind": kind})

    def has_retrain_permission(self, request):
        return request.user.has_perm("predictive.add_modelversion")


@admin.register(Score)
class ScoreAdmin(_ReadOnly):
    list_display = ["target_label", "kind", "score", "model_version", "scored_at"]
    list_filter = ["kind"]
    search_fields = ["target_label"]
    list_select_related = ["model_version"]
    readonly_fields = ["model_version", "kind", "content_type", "object_id", "target_label", "score", "reasons",
                       "scored_at"]
