from django.urls import path

from apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("marcar-leidas/", views.mark_all_read, name="mark-all-read"),
    path("<int:pk>/leida/", views.mark_one_read, name="mark-read"),
    path("preferencias/", views.preferences, name="preferences"),
]
