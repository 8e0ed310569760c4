from django.urls import path

from apps.predictive import views

app_name = "predictive"

urlpatterns = [
    path("", views.top_risk_view, name="top-risk"),
    path("modelos/", views.model_list_view, name="model-list"),
    path("panel/<str:kind>/<int:object_id>/", views.panel_body_view, name="panel"),
]
