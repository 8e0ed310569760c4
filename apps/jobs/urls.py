from django.urls import path

from apps.jobs import views

app_name = "jobs"
urlpatterns = [
    path("verificar-auditoria/", views.start_audit_verify, name="start-audit-verify"),
    path("<int:pk>/cancelar/", views.cancel, name="cancel"),
]
