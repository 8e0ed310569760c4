from django.urls import path

from apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("marcar-leidas/", views.mark_all_read, name="mark-all-read"),
]
