from django.urls import path

from apps.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.AuditEventListView.as_view(), name="events"),
    path("revelar/<str:model>/<int:pk>/<str:field>/", views.sensitive_reveal_view, name="sensitive-reveal"),
]
